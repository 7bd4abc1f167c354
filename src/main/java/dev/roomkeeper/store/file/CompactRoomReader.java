package dev.roomkeeper.store.file;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import dev.roomkeeper.room.Member;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomAccess;
import dev.roomkeeper.room.RoomHistory;
import dev.roomkeeper.room.RoomWebhooks;
import dev.roomkeeper.room.event.MemberRole;

/**
 * Reads the simplest rooms straight from their bytes, without a JSON parser: a room
 * exactly as the store writes it (compact, its properties in the store's order), whose
 * strings are printable ASCII without escapes, with no history events and no pending
 * webhooks. Its {@code settings}, {@code state} and member {@code metadata} are read by
 * Jackson's own deserializer of {@link ObjectNode} unless empty ({@code {}}); instants in
 * the form Jackson writes them ({@link UtcInstantDeserializer#parse}).
 * <p>
 * A byte that does not fit (whitespace, an escape, a non-ASCII character, another order
 * or token, an instant in another form, a number with a leading zero or out of range,
 * trailing content...) gives {@code null}: the caller then reads the JSON with
 * {@link RoomFileReader} or Jackson, so what such rooms are and how they fail is
 * unchanged. Used only with the mapper settings under which it reads what Jackson reads
 * ({@link RoomFiles}).
 */
final class CompactRoomReader {

	/**
	 * Longest string read here (Jackson's default limit is far above; longer: Jackson).
	 */
	private static final int MAX_STRING = 1 << 16;

	private static final byte[] ROOM_CODE = ascii("{\"code\":");

	private static final byte[] NAME = ascii(",\"name\":");

	private static final byte[] PASSWORD_HASH = ascii(",\"passwordHash\":");

	private static final byte[] OWNER_TOKEN_HASH = ascii(",\"ownerTokenHash\":");

	private static final byte[] LOCKED = ascii(",\"locked\":");

	private static final byte[] LISTED = ascii(",\"listed\":");

	private static final byte[] MAX_MEMBERS = ascii(",\"maxMembers\":");

	private static final byte[] MEMBERS = ascii(",\"members\":[");

	private static final byte[] SETTINGS = ascii(",\"settings\":");

	private static final byte[] STATE = ascii(",\"state\":");

	private static final byte[] VERSION = ascii(",\"version\":");

	private static final byte[] SEQ = ascii(",\"seq\":");

	private static final byte[] CREATED_AT = ascii(",\"createdAt\":");

	private static final byte[] LAST_ACTIVITY_AT = ascii(",\"lastActivityAt\":");

	private static final byte[] WARNED_AT = ascii(",\"warnedAt\":");

	private static final byte[] JOIN_POLICY = ascii(",\"access\":{\"joinPolicy\":");

	private static final byte[] PERMISSIONS_STATE = ascii(",\"permissions\":{\"state\":");

	private static final byte[] BROADCAST = ascii(",\"broadcast\":");

	private static final byte[] CLOSED_AT = ascii("}},\"webhooks\":{\"closedAt\":");

	private static final byte[] NO_PENDING_EPOCH = ascii(",\"pending\":[]},\"history\":{\"epoch\":");

	private static final byte[] NO_EVENTS = ascii(",\"events\":[]}}");

	private static final byte[] MEMBER_ID = ascii("{\"id\":");

	private static final byte[] ROLE = ascii(",\"role\":");

	private static final byte[] TOKEN_HASH = ascii(",\"tokenHash\":");

	private static final byte[] CONNECTED = ascii(",\"connected\":");

	private static final byte[] JOINED_AT = ascii(",\"joinedAt\":");

	private static final byte[] LAST_SEEN_AT = ascii(",\"lastSeenAt\":");

	private static final byte[] METADATA = ascii(",\"metadata\":");

	private static final byte[] USER_ID = ascii(",\"userId\":");

	private static final byte[] TICKET_TOKEN_HASHES = ascii(",\"ticketTokenHashes\":[");

	private static final byte[] NULL = ascii("null");

	private static final byte[] TRUE = ascii("true");

	private static final byte[] FALSE = ascii("false");

	private static final byte[] OWNER = ascii("\"owner\"");

	private static final byte[] MEMBER = ascii("\"member\"");

	/** Thrown (without a stack) when the bytes are not such a room. */
	private static final class NotCompact extends RuntimeException {

		NotCompact() {
			super("not a compact room", null, false, false);
		}

	}

	private static final NotCompact NOT_COMPACT = new NotCompact();

	/** The deepest object read here (deeper: Jackson, which limits nesting). */
	private static final int MAX_DEPTH = 32;

	/** Parsers of a range of bytes with the mapper's settings. */
	interface Parsers {

		JsonParser parser(byte[] bytes, int offset, int length);

	}

	private final JsonNodeFactory nodes;

	private final ObjectReader objects;

	private final Parsers parsers;

	/**
	 * @param nodes the node factory Jackson's deserializer of {@link ObjectNode} uses
	 * @param objects a reader of {@link ObjectNode} of the same mapper
	 * @param parsers the parsers it reads objects with
	 */
	CompactRoomReader(JsonNodeFactory nodes, ObjectReader objects, Parsers parsers) {
		this.nodes = nodes;
		this.objects = objects;
		this.parsers = parsers;
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	/** The room in {@code length} bytes from {@code offset}, or {@code null}. */
	Room read(byte[] bytes, int offset, int length) {
		if (!endsWith(bytes, offset + length, NO_EVENTS)) {
			// a room with history events (most rooms in use): not read here, and known
			// before any of its objects is read
			return null;
		}
		try {
			Cursor cursor = new Cursor(bytes, offset, offset + length);
			Room room = room(cursor);
			return (cursor.at == cursor.end) ? room : null;
		}
		catch (NotCompact ex) {
			return null;
		}
		catch (RuntimeException ex) {
			// a record's constructor refused (Jackson reports it its way) or a tree
			// failed
			return null;
		}
	}

	private static boolean endsWith(byte[] bytes, int end, byte[] suffix) {
		if (end - suffix.length < 0 || end > bytes.length) {
			return false;
		}
		for (int i = 0; i < suffix.length; i++) {
			if (bytes[end - suffix.length + i] != suffix[i]) {
				return false;
			}
		}
		return true;
	}

	private Room room(Cursor in) {
		in.expect(ROOM_CODE);
		String code = in.string();
		in.expect(NAME);
		String name = in.string();
		in.expect(PASSWORD_HASH);
		String passwordHash = in.string();
		in.expect(OWNER_TOKEN_HASH);
		String ownerTokenHash = in.string();
		in.expect(LOCKED);
		boolean locked = in.bool();
		in.expect(LISTED);
		boolean listed = in.bool();
		in.expect(MAX_MEMBERS);
		long maxMembers = in.number();
		if (maxMembers != (int) maxMembers) {
			throw NOT_COMPACT;
		}
		in.expect(MEMBERS);
		List<Member> members = new ArrayList<>();
		if (!in.skip(']')) {
			do {
				members.add(member(in));
			}
			while (in.skip(','));
			in.require(']');
		}
		in.expect(SETTINGS);
		ObjectNode settings = object(in);
		in.expect(STATE);
		ObjectNode state = object(in);
		in.expect(VERSION);
		long version = in.number();
		in.expect(SEQ);
		long seq = in.number();
		in.expect(CREATED_AT);
		Instant createdAt = in.instant();
		in.expect(LAST_ACTIVITY_AT);
		Instant lastActivityAt = in.instant();
		in.expect(WARNED_AT);
		Instant warnedAt = in.instant();
		in.expect(JOIN_POLICY);
		String joinPolicy = in.string();
		in.expect(PERMISSIONS_STATE);
		String statePermission = in.string();
		in.expect(BROADCAST);
		String broadcastPermission = in.string();
		in.expect(CLOSED_AT);
		Instant closedAt = in.instant();
		in.expect(NO_PENDING_EPOCH);
		String epoch = in.string();
		in.expect(NO_EVENTS);
		return new Room(code, name, passwordHash, ownerTokenHash, locked, listed, (int) maxMembers, members, settings,
				state, version, seq, createdAt, lastActivityAt, warnedAt,
				new RoomAccess(joinPolicy, new RoomAccess.Permissions(statePermission, broadcastPermission)),
				new RoomWebhooks(closedAt, List.of()), new RoomHistory(epoch, List.of()));
	}

	private Member member(Cursor in) {
		in.expect(MEMBER_ID);
		String id = in.string();
		in.expect(NAME);
		String name = in.string();
		in.expect(ROLE);
		MemberRole role;
		if (in.skip(OWNER)) {
			role = MemberRole.OWNER;
		}
		else if (in.skip(MEMBER)) {
			role = MemberRole.MEMBER;
		}
		else {
			throw NOT_COMPACT;
		}
		in.expect(TOKEN_HASH);
		String tokenHash = in.string();
		in.expect(CONNECTED);
		boolean connected = in.bool();
		in.expect(JOINED_AT);
		Instant joinedAt = in.instant();
		in.expect(LAST_SEEN_AT);
		Instant lastSeenAt = in.instant();
		in.expect(METADATA);
		ObjectNode metadata = object(in);
		in.expect(USER_ID);
		String userId = in.string();
		in.expect(TICKET_TOKEN_HASHES);
		List<String> tickets = new ArrayList<>();
		if (!in.skip(']')) {
			do {
				String ticket = in.string();
				if (ticket == null) {
					throw NOT_COMPACT;
				}
				tickets.add(ticket);
			}
			while (in.skip(','));
			in.require(']');
		}
		in.require('}');
		return new Member(id, name, role, tokenHash, connected, joinedAt, lastSeenAt, metadata, userId, tickets);
	}

	/**
	 * A JSON object: {@code {}} as Jackson's deserializer makes it (an empty node of its
	 * factory), anything longer read by that deserializer.
	 */
	private ObjectNode object(Cursor in) {
		if (in.skip('{')) {
			if (in.skip('}')) {
				return this.nodes.objectNode();
			}
			in.at--;
		}
		else {
			throw NOT_COMPACT;
		}
		int from = in.at;
		int to = in.endOfObject();
		try (JsonParser parser = this.parsers.parser(in.bytes, from, to - from)) {
			ObjectNode node = this.objects.readValue(parser);
			if (node == null || parser.nextToken() != null) {
				throw NOT_COMPACT;
			}
			in.at = to;
			return node;
		}
	}

	/** A position in the bytes of a room. */
	private static final class Cursor {

		final byte[] bytes;

		final int end;

		int at;

		Cursor(byte[] bytes, int at, int end) {
			this.bytes = bytes;
			this.at = at;
			this.end = end;
		}

		void expect(byte[] literal) {
			if (!skip(literal)) {
				throw NOT_COMPACT;
			}
		}

		boolean skip(byte[] literal) {
			int length = literal.length;
			if (this.end - this.at < length) {
				return false;
			}
			for (int i = 0; i < length; i++) {
				if (this.bytes[this.at + i] != literal[i]) {
					return false;
				}
			}
			this.at += length;
			return true;
		}

		boolean skip(char c) {
			if (this.at < this.end && this.bytes[this.at] == c) {
				this.at++;
				return true;
			}
			return false;
		}

		void require(char c) {
			if (!skip(c)) {
				throw NOT_COMPACT;
			}
		}

		/** A string of printable ASCII without escapes, or {@code null}. */
		String string() {
			if (skip(NULL)) {
				return null;
			}
			require('"');
			int from = this.at;
			int limit = Math.min(this.end, from + MAX_STRING);
			for (int i = from; i < limit; i++) {
				byte b = this.bytes[i];
				if (b == '"') {
					this.at = i + 1;
					return new String(this.bytes, from, i - from, StandardCharsets.ISO_8859_1);
				}
				if (b < 0x20 || b > 0x7e || b == '\\') {
					throw NOT_COMPACT;
				}
			}
			throw NOT_COMPACT;
		}

		boolean bool() {
			if (skip(TRUE)) {
				return true;
			}
			if (skip(FALSE)) {
				return false;
			}
			throw NOT_COMPACT;
		}

		/**
		 * An integer written as JSON writes it (no leading zero) that fits a
		 * {@code long}, followed by {@code ,} or {@code }}.
		 */
		long number() {
			boolean negative = skip('-');
			int from = this.at;
			long value = 0;
			while (this.at < this.end && this.bytes[this.at] >= '0' && this.bytes[this.at] <= '9') {
				value = value * 10 + (this.bytes[this.at] - '0');
				this.at++;
			}
			int digits = this.at - from;
			if (digits == 0 || digits > 18 || (digits > 1 && this.bytes[from] == '0') || this.at >= this.end
					|| (this.bytes[this.at] != ',' && this.bytes[this.at] != '}')) {
				// 19 digits and more may not fit: Jackson decides
				throw NOT_COMPACT;
			}
			return negative ? -value : value;
		}

		/** An instant as Jackson writes it, or {@code null}. */
		Instant instant() {
			if (skip(NULL)) {
				return null;
			}
			Instant instant = UtcInstantDeserializer.parse(string());
			if (instant == null) {
				throw NOT_COMPACT;
			}
			return instant;
		}

		/**
		 * Where the object that starts here ends (after its {@code }}), found by counting
		 * brackets outside strings; Jackson checks what is in between.
		 */
		int endOfObject() {
			int depth = 0;
			boolean inString = false;
			for (int i = this.at; i < this.end; i++) {
				byte b = this.bytes[i];
				if (inString) {
					if (b == '\\') {
						i++;
					}
					else if (b == '"') {
						inString = false;
					}
				}
				else if (b == '"') {
					inString = true;
				}
				else if (b == '{' || b == '[') {
					depth++;
					if (depth > MAX_DEPTH) {
						throw NOT_COMPACT;
					}
				}
				else if (b == '}' || b == ']') {
					depth--;
					if (depth == 0) {
						return i + 1;
					}
				}
			}
			throw NOT_COMPACT;
		}

	}

}
