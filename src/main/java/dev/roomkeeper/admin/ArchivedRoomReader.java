package dev.roomkeeper.admin;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.roomkeeper.room.CreateRoomRequest;
import dev.roomkeeper.room.Member;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomCodes;

/**
 * Reads one line of an export back into a {@link Room} and checks everything a room must
 * satisfy before it is stored: the shape of the code and of the hashes, names, sizes,
 * numbers and times, unique member ids, names and tokens.
 * <p>
 * Import lines are untrusted input, so a problem is described by the field it concerns,
 * never by the value it holds (a line could carry a plaintext secret by mistake).
 */
final class ArchivedRoomReader {

	/** SHA-256, base64url without padding: how tokens are stored. */
	private static final Pattern TOKEN_HASH = Pattern.compile("[A-Za-z0-9_-]{43}");

	/** A bcrypt hash: how passwords are stored. */
	private static final Pattern PASSWORD_HASH = Pattern.compile("\\$2[aby]?\\$\\d{2}\\$[./A-Za-z0-9]{53}");

	private static final int MAX_MEMBER_NAME = 32;

	private static final int MAX_MEMBER_ID = 64;

	private final JsonMapper jsonMapper;

	private final long messageBytes;

	private final long stateBytes;

	ArchivedRoomReader(JsonMapper jsonMapper, long messageBytes, long stateBytes) {
		this.jsonMapper = jsonMapper;
		this.messageBytes = messageBytes;
		this.stateBytes = stateBytes;
	}

	/**
	 * The room of one line.
	 * @throws InvalidLineException naming what is wrong
	 */
	Room read(String line) {
		JsonNode node;
		try {
			node = this.jsonMapper.readTree(line);
		}
		catch (JacksonException ex) {
			throw new InvalidLineException("not valid JSON");
		}
		if (node == null || !node.isObject()) {
			throw new InvalidLineException("not a JSON object");
		}
		Room room;
		try {
			room = this.jsonMapper.treeToValue(node, Room.class);
		}
		catch (JacksonException ex) {
			String path = path(ex.getPath());
			throw new InvalidLineException(path.isEmpty() ? "not an exported room"
					: "not an exported room: " + path + " is missing or has the wrong type");
		}
		check(room);
		return room;
	}

	private void check(Room room) {
		require(room.code() != null && RoomCodes.isValid(room.code())
				&& room.code().equals(room.code().toUpperCase(Locale.ROOT)), "code", "must be an upper-case room code");
		String code = room.code();
		require(room.name() != null && !room.name().isBlank() && room.name().length() <= CreateRoomRequest.MAX_NAME,
				code, "name", "must be 1 to " + CreateRoomRequest.MAX_NAME + " characters");
		require(room.ownerTokenHash() != null && TOKEN_HASH.matcher(room.ownerTokenHash()).matches(), code,
				"ownerTokenHash", "must be a stored token hash");
		require(room.passwordHash() == null || PASSWORD_HASH.matcher(room.passwordHash()).matches(), code,
				"passwordHash", "must be a bcrypt hash or null");
		require(room.maxMembers() >= 1 && room.maxMembers() <= CreateRoomRequest.MAX_MEMBERS_LIMIT, code, "maxMembers",
				"must be between 1 and " + CreateRoomRequest.MAX_MEMBERS_LIMIT);
		require(room.version() >= 0, code, "version", "must be at least 0");
		require(room.seq() >= 0, code, "seq", "must be at least 0");
		require(room.createdAt() != null, code, "createdAt", "is required");
		require(room.lastActivityAt() != null, code, "lastActivityAt", "is required");
		requireObject(room.settings(), this.messageBytes, code, "settings");
		requireObject(room.state(), this.stateBytes, code, "state");
		checkMembers(room.members(), code);
	}

	private void checkMembers(List<Member> members, String code) {
		Set<String> ids = new HashSet<>();
		Set<String> names = new HashSet<>();
		Set<String> tokenHashes = new HashSet<>();
		for (int i = 0; i < members.size(); i++) {
			Member member = members.get(i);
			String field = "members[" + i + "]";
			require(member != null, code, field, "is required");
			require(member.id() != null && !member.id().isBlank() && member.id().length() <= MAX_MEMBER_ID, code,
					field + ".id", "must be 1 to " + MAX_MEMBER_ID + " characters");
			require(ids.add(member.id()), code, field + ".id", "is not unique");
			require(member.name() != null && !member.name().isBlank() && member.name().length() <= MAX_MEMBER_NAME,
					code, field + ".name", "must be 1 to " + MAX_MEMBER_NAME + " characters");
			require(names.add(member.name().toLowerCase(Locale.ROOT)), code, field + ".name", "is not unique");
			require(member.role() != null, code, field + ".role", "must be owner or member");
			require(member.tokenHash() != null && TOKEN_HASH.matcher(member.tokenHash()).matches(), code,
					field + ".tokenHash", "must be a stored token hash");
			require(tokenHashes.add(member.tokenHash()), code, field + ".tokenHash", "is not unique");
			require(member.joinedAt() != null, code, field + ".joinedAt", "is required");
			require(member.lastSeenAt() != null, code, field + ".lastSeenAt", "is required");
			requireObject(member.metadata(), this.messageBytes, code, field + ".metadata");
		}
	}

	private void requireObject(ObjectNode value, long limit, String code, String field) {
		require(value != null, code, field, "must be a JSON object");
		require(this.jsonMapper.writeValueAsBytes(value).length <= limit, code, field,
				"is larger than " + limit + " bytes");
	}

	private static void require(boolean condition, String field, String message) {
		if (!condition) {
			throw new InvalidLineException(field + " " + message);
		}
	}

	private static void require(boolean condition, String code, String field, String message) {
		if (!condition) {
			throw new InvalidLineException("room " + code + ": " + field + " " + message);
		}
	}

	/**
	 * The field names of a room, so that an error path never repeats a name the line made
	 * up.
	 */
	private static final Set<String> FIELD_NAMES = Stream
		.concat(Arrays.stream(Room.class.getRecordComponents()), Arrays.stream(Member.class.getRecordComponents()))
		.map(RecordComponent::getName)
		.collect(Collectors.toUnmodifiableSet());

	private static String path(List<JacksonException.Reference> references) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : references) {
			if (reference.getPropertyName() != null) {
				if (!FIELD_NAMES.contains(reference.getPropertyName())) {
					return "";
				}
				if (!path.isEmpty()) {
					path.append('.');
				}
				path.append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

	/** A line that is not an exported room; the message names the field. */
	static final class InvalidLineException extends RuntimeException {

		InvalidLineException(String message) {
			super(message, null, false, false);
		}

	}

}
