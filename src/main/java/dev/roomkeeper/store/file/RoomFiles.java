package dev.roomkeeper.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.ObjectNode;

import dev.roomkeeper.room.HistoryEvent;
import dev.roomkeeper.room.Member;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomCodes;

/**
 * The files of the file store: {@code CODE.json} per room, written through
 * {@code CODE.json.tmp} (write, force, atomic rename; the directory is forced once per
 * checkpoint by the caller), each {@code 0600}.
 * <p>
 * Only normalised codes become file names, so a code can never name a path outside the
 * directory; only such names are read back ({@link #codeOf}), never through a symbolic
 * link.
 */
final class RoomFiles {

	static final String SUFFIX = ".json";

	static final String TEMP_SUFFIX = ".json.tmp";

	/** A room file larger than this is not a room (rooms are limited far below). */
	static final long MAX_FILE_BYTES = 256L << 20;

	private final Path dir;

	private final JsonMapper jsonMapper;

	private final ObjectReader roomReader;

	/**
	 * Reads rooms in the store's own layout ({@link RoomFileReader}), or {@code null} if
	 * the mapper wraps root values (then every room is read Jackson's way).
	 */
	private final ObjectReader layoutReader;

	/**
	 * Reads the simplest rooms straight from their bytes ({@link CompactRoomReader}), or
	 * {@code null} if the mapper's settings are not those it reads as Jackson does.
	 */
	private final CompactRoomReader compactReader;

	private static final byte[] EMPTY_OBJECT = { '{', '}' };

	/** See {@link #parser}. */
	private static final int PARSES_PER_FACTORY = 64;

	private static final byte[] NO_BYTES = {};

	private final AtomicInteger parses = new AtomicInteger();

	private volatile TokenStreamFactory parsers;

	/** The test seam ({@link FileStoreFaults#NONE} outside tests). */
	private volatile FileStoreFaults faults = FileStoreFaults.NONE;

	RoomFiles(Path dir, JsonMapper jsonMapper) {
		this(dir, jsonMapper, true);
	}

	/**
	 * Room files whose rooms are read by {@link RoomFileReader} first if
	 * {@code layoutReader}, else by Jackson's databinding only (for tests).
	 */
	RoomFiles(Path dir, JsonMapper jsonMapper, boolean layoutReader) {
		this.dir = dir;
		this.jsonMapper = jsonMapper;
		// the same mapper, with instants as Jackson writes them parsed directly and the
		// records' constructors called directly
		RoomFileReader layout = new RoomFileReader();
		JsonMapper roomMapper = jsonMapper.rebuild()
			.addModule(new SimpleModule("room-files").addDeserializer(Instant.class, new UtcInstantDeserializer())
				.addDeserializer(RoomFileReader.Layout.class, layout))
			.addModule(DirectRecordInstantiators.module())
			.build();
		this.roomReader = roomMapper.readerFor(Room.class);
		this.layoutReader = (!layoutReader || this.roomReader.getConfig().useRootWrapping()) ? null
				: roomMapper.readerFor(RoomFileReader.Layout.class);
		this.compactReader = compactReader(roomMapper, layout);
	}

	/**
	 * The reader of the simplest rooms, if the mapper's settings let it read what Jackson
	 * reads: Jackson's own objects and this store's instants, {@code null} read as
	 * {@code null}, instants not truncated.
	 */
	private CompactRoomReader compactReader(JsonMapper roomMapper, RoomFileReader layout) {
		if (this.layoutReader == null) {
			return null;
		}
		try {
			// resolves the deserializers the layout reader uses
			this.layoutReader.readValue(EMPTY_OBJECT);
		}
		catch (RuntimeException ex) {
			return null;
		}
		DeserializationConfig config = this.roomReader.getConfig();
		if (!layout.standardValues() || config.isEnabled(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
				|| config.isEnabled(DateTimeFeature.TRUNCATE_TO_MSECS_ON_READ)) {
			return null;
		}
		return new CompactRoomReader(config.getNodeFactory(), roomMapper.readerFor(ObjectNode.class), this::parser);
	}

	/** Installs the test seam. */
	void faults(FileStoreFaults faults) {
		this.faults = faults;
	}

	Path dir() {
		return this.dir;
	}

	/**
	 * The room code a file name stands for, or {@code null} if the name is not
	 * {@code CODE.json} for a normalised code (upper case, 3 to 32 of {@code A-Z 0-9 -}):
	 * such a file is never loaded as a room.
	 */
	static String codeOf(String fileName) {
		int length = fileName.length() - SUFFIX.length();
		if (length < 3 || length > 32 || !fileName.endsWith(SUFFIX)) {
			return null;
		}
		for (int i = 0; i < length; i++) {
			char c = fileName.charAt(i);
			if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
				return null;
			}
		}
		// the same codes as RoomCodes.normalizeIfValid(code).filter(code::equals),
		// without a
		// regular expression per file
		return fileName.substring(0, length);
	}

	/** The JSON of a room, as its file holds it (and the journal). */
	byte[] json(Room room) {
		return this.jsonMapper.writeValueAsBytes(room);
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
		byte[] bytes = json(room);
		fileOf(room.code());
		Path temp = tempOf(room.code());
		try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
			OwnerOnly.file(temp);
			this.faults.before(FileStoreFaults.Step.ROOM_FILE_WRITE);
			ByteBuffer buffer = ByteBuffer.wrap(bytes);
			while (buffer.hasRemaining()) {
				channel.write(buffer);
			}
			this.faults.before(FileStoreFaults.Step.ROOM_FILE_FORCE);
			channel.force(true);
		}
	}

	/** Atomically replaces the room's file with its forced temp file. */
	void commit(String code) throws IOException {
		this.faults.before(FileStoreFaults.Step.ROOM_FILE_MOVE);
		Files.move(tempOf(code), fileOf(code), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

	void delete(String code) throws IOException {
		Files.deleteIfExists(fileOf(code));
		Files.deleteIfExists(tempOf(code));
	}

	/** Forces the directory, so renames and deletions survive a crash. */
	void forceDirectory() throws IOException {
		this.faults.before(FileStoreFaults.Step.DIRECTORY_FORCE);
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
		String expectedCode = codeOf(file.getFileName().toString());
		if (expectedCode == null) {
			throw new CorruptRoomFileException("the name is not CODE.json for an upper-case room code");
		}
		byte[] bytes;
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
			long size = channel.size();
			if (size > MAX_FILE_BYTES) {
				throw new CorruptRoomFileException("the file is too large (" + size + " bytes)");
			}
			bytes = new byte[(int) size];
			ByteBuffer buffer = ByteBuffer.wrap(bytes);
			while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
				// reads the whole file
			}
		}
		catch (IOException ex) {
			throw new CorruptRoomFileException("cannot be read (" + ex.getClass().getSimpleName() + ")");
		}
		return parse(bytes, expectedCode);
	}

	/**
	 * A parser of room JSON, from a copy of the reader's parser factory that is replaced
	 * every {@value #PARSES_PER_FACTORY} parses. A factory keeps every property name its
	 * parsers met, and each parser that meets a new one (a room's state keyed by member
	 * ids, say) first copies the factory's whole table: with one factory for all rooms
	 * that table grows to thousands of names and copying it cost more than the rest of
	 * the parse. A name is still one string for the rooms of one factory. The parser gets
	 * the reader's settings (its read context), as the reader's own parsers do.
	 */
	private JsonParser parser(byte[] bytes, int offset, int length) {
		TokenStreamFactory factory = this.parsers;
		if (factory == null || this.parses.incrementAndGet() % PARSES_PER_FACTORY == 0) {
			factory = this.roomReader.parserFactory().copy();
			this.parsers = factory;
		}
		ObjectReadContext settings;
		try (JsonParser probe = this.roomReader.createParser(NO_BYTES)) {
			settings = probe.objectReadContext();
		}
		return factory.createParser(settings, bytes, offset, length);
	}

	/**
	 * Parses and checks a room's JSON (from a room file or the journal).
	 * @throws CorruptRoomFileException if it is empty, not JSON, of the wrong shape, or
	 * names another room; the message never quotes the content
	 */
	Room parse(byte[] bytes, String expectedCode) {
		return parse(bytes, 0, bytes.length, expectedCode);
	}

	/**
	 * Parses and checks a room's JSON held in {@code length} bytes from {@code offset} (a
	 * journal record in its segment).
	 * @throws CorruptRoomFileException as {@link #parse(byte[], String)}
	 */
	Room parse(byte[] bytes, int offset, int length, String expectedCode) {
		try {
			if (length == 0) {
				throw new CorruptRoomFileException("the file is empty");
			}
			Room room = (this.compactReader != null) ? this.compactReader.read(bytes, offset, length) : null;
			if (room == null && this.layoutReader != null) {
				room = readLayout(bytes, offset, length);
			}
			if (room == null) {
				room = readWithJackson(bytes, offset, length);
			}
			check(room, expectedCode);
			return room;
		}
		catch (CorruptRoomFileException ex) {
			throw ex;
		}
		catch (JacksonException ex) {
			TokenStreamLocation location = ex.getLocation();
			throw new CorruptRoomFileException(
					"not a room's JSON (" + ex.getClass().getSimpleName()
							+ ((location != null)
									? " at line " + location.getLineNr() + ", column " + location.getColumnNr() : "")
							+ ")");
		}
		catch (RuntimeException ex) {
			throw new CorruptRoomFileException("not a room's JSON (" + ex.getClass().getSimpleName() + ")");
		}
	}

	/**
	 * The room in the store's own layout ({@link RoomFileReader}), or {@code null} if the
	 * JSON is anything else or cannot be read so: then Jackson's databinding reads it, as
	 * before, and decides what it is and how it fails.
	 */
	Room readLayout(byte[] bytes, int offset, int length) {
		try (JsonParser parser = parser(bytes, offset, length)) {
			RoomFileReader.Layout layout = this.layoutReader
				.withAttribute(HistoryEvent.SOURCE, new HistoryEvent.Source(parser, bytes, offset))
				.readValue(parser);
			return (layout != null) ? layout.room() : null;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/** The room read by {@link CompactRoomReader}, or {@code null}; for tests. */
	Room readCompact(byte[] bytes, int offset, int length) {
		return (this.compactReader != null) ? this.compactReader.read(bytes, offset, length) : null;
	}

	/**
	 * Reads a room with Jackson's databinding only (history events are cut out of the
	 * bytes, not parsed into trees and written again: {@link HistoryEvent#SOURCE});
	 * package-private for tests.
	 */
	Room readWithJackson(byte[] bytes, int offset, int length) {
		try (JsonParser parser = parser(bytes, offset, length)) {
			return this.roomReader.withAttribute(HistoryEvent.SOURCE, new HistoryEvent.Source(parser, bytes, offset))
				.readValue(parser);
		}
	}

	/** Checks what a room read from disk must hold; package-private for tests. */
	static void check(Room room, String expectedCode) {
		if (room == null) {
			throw new CorruptRoomFileException("the file holds no room");
		}
		if (!expectedCode.equals(room.code())) {
			throw new CorruptRoomFileException("the file names another room");
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

	/** A room file that cannot be loaded; it is set aside, never fatal. */
	static final class CorruptRoomFileException extends RuntimeException {

		CorruptRoomFileException(String message) {
			super(message);
		}

	}

}
