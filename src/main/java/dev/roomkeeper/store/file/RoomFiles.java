package dev.roomkeeper.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.room.Member;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomCodes;

/**
 * The files of the file store: {@code CODE.json} per room, written through
 * {@code CODE.json.tmp} (write, force, atomic rename; the directory is forced once per
 * batch by the caller).
 * <p>
 * Only normalised codes become file names, so a code can never name a path outside the
 * directory.
 */
final class RoomFiles {

	static final String SUFFIX = ".json";

	static final String TEMP_SUFFIX = ".json.tmp";

	private final Path dir;

	private final JsonMapper jsonMapper;

	RoomFiles(Path dir, JsonMapper jsonMapper) {
		this.dir = dir;
		this.jsonMapper = jsonMapper;
	}

	Path dir() {
		return this.dir;
	}

	Path fileOf(String code) {
		String normalized = RoomCodes.normalizeIfValid(code)
			.filter(code::equals)
			.orElseThrow(() -> new IllegalArgumentException("Not a normalised room code"));
		return this.dir.resolve(normalized + SUFFIX);
	}

	private Path tempOf(String code) {
		return this.dir.resolve(code + TEMP_SUFFIX);
	}

	/**
	 * Writes a room to its temp file and forces it to disk; {@link #commit} makes it
	 * visible.
	 */
	void writeTemp(Room room) throws IOException {
		byte[] bytes = this.jsonMapper.writeValueAsBytes(room);
		fileOf(room.code());
		Path temp = tempOf(room.code());
		try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.TRUNCATE_EXISTING)) {
			ByteBuffer buffer = ByteBuffer.wrap(bytes);
			while (buffer.hasRemaining()) {
				channel.write(buffer);
			}
			channel.force(true);
		}
	}

	/** Atomically replaces the room's file with its forced temp file. */
	void commit(String code) throws IOException {
		Files.move(tempOf(code), fileOf(code), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

	void delete(String code) throws IOException {
		Files.deleteIfExists(fileOf(code));
		Files.deleteIfExists(tempOf(code));
	}

	/** Forces the directory, so renames and deletions survive a crash. */
	void forceDirectory() throws IOException {
		try (FileChannel channel = FileChannel.open(this.dir, StandardOpenOption.READ)) {
			channel.force(true);
		}
	}

	/**
	 * Reads and checks one room file.
	 * @throws CorruptRoomFileException if the file is empty, torn, not JSON, of the wrong
	 * shape, or names another room
	 */
	Room read(Path file) {
		String name = file.getFileName().toString();
		String expectedCode = name.substring(0, name.length() - SUFFIX.length());
		try {
			byte[] bytes = Files.readAllBytes(file);
			if (bytes.length == 0) {
				throw new CorruptRoomFileException("the file is empty");
			}
			Room room = this.jsonMapper.readValue(bytes, Room.class);
			check(room, expectedCode);
			return room;
		}
		catch (CorruptRoomFileException ex) {
			throw ex;
		}
		catch (IOException | RuntimeException ex) {
			throw new CorruptRoomFileException(ex.getClass().getSimpleName() + ": " + firstLine(ex.getMessage()));
		}
	}

	private static void check(Room room, String expectedCode) {
		if (room == null) {
			throw new CorruptRoomFileException("the file holds no room");
		}
		if (!expectedCode.equals(room.code())) {
			throw new CorruptRoomFileException("the file names room " + room.code());
		}
		try {
			Objects.requireNonNull(room.ownerTokenHash(), "ownerTokenHash");
			Objects.requireNonNull(room.settings(), "settings");
			Objects.requireNonNull(room.state(), "state");
			Objects.requireNonNull(room.createdAt(), "createdAt");
			Objects.requireNonNull(room.lastActivityAt(), "lastActivityAt");
			for (Member member : room.members()) {
				Objects.requireNonNull(member.id(), "member id");
				Objects.requireNonNull(member.name(), "member name");
				Objects.requireNonNull(member.role(), "member role");
				Objects.requireNonNull(member.tokenHash(), "member tokenHash");
				Objects.requireNonNull(member.joinedAt(), "member joinedAt");
				Objects.requireNonNull(member.metadata(), "member metadata");
			}
		}
		catch (NullPointerException ex) {
			throw new CorruptRoomFileException("missing " + ex.getMessage());
		}
		if (room.maxMembers() < 1 || room.version() < 0 || room.seq() < 0) {
			throw new CorruptRoomFileException("out-of-range numbers");
		}
	}

	private static String firstLine(String message) {
		if (message == null) {
			return "";
		}
		int newline = message.indexOf('\n');
		return (newline < 0) ? message : message.substring(0, newline);
	}

	/** A room file that cannot be loaded; it is set aside, never fatal. */
	static final class CorruptRoomFileException extends RuntimeException {

		CorruptRoomFileException(String message) {
			super(message);
		}

	}

}
