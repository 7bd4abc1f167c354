package dev.roomkeeper.store.file;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.Member;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomHistory;
import dev.roomkeeper.room.StoreStartupException;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.store.local.LocalRoomRepository;
import dev.roomkeeper.store.local.LocalRoomTable;
import dev.roomkeeper.system.LogLine;

/**
 * Keeps one JSON file per room in {@code rooms.store.dir}, and every room in memory for
 * reads.
 * <p>
 * Writes are crash-safe and grouped ({@link GroupCommitWriter}): a durable change is on
 * disk when {@link #update} returns, and a write costs one room, never all of them. At
 * start-up the directory is locked against a second process, leftover temp files are
 * removed, and a file that cannot be read (empty, torn, not JSON, wrong shape) is moved
 * to {@code corrupt/} and logged while every good room loads. Members are loaded as
 * disconnected: whoever was connected when the server stopped is given
 * {@code rooms.presence.stale-after} from the load to come back.
 * <p>
 * A clean close leaves a marker ({@value #CLEAN_STOP_MARKER}). Without it (the process
 * was killed), changes that were waiting to be stored are lost, and with them possibly
 * room events that clients already saw: every room's {@code seq} is then raised by
 * {@value #SEQ_MARGIN_AFTER_CRASH} (and stored), so {@code seq} never goes back and no
 * client mistakes a new event for one it has seen. Clients reconnect and take the
 * snapshot's {@code seq}. The room's history ({@link RoomHistory}, part of its file) may
 * then miss events that were not stored, so it gets a new epoch: no client is told it
 * recovered across the crash.
 */
public class JsonFileRoomRepository extends LocalRoomRepository implements AutoCloseable {

	private static final Log log = LogFactory.getLog(JsonFileRoomRepository.class);

	/** The file a clean close leaves in the directory. */
	static final String CLEAN_STOP_MARKER = ".clean-stop";

	/**
	 * How far {@code seq} is raised after a crash: more room events than a room can have
	 * while its changes wait to be stored.
	 */
	static final long SEQ_MARGIN_AFTER_CRASH = 10_000_000;

	private final RoomFiles files;

	private final StoreDirectoryLock lock;

	private final GroupCommitWriter writer;

	public JsonFileRoomRepository(Path dir, Duration flushInterval, JsonMapper jsonMapper, RoomEventBus eventBus,
			Clock clock) {
		this(dir, flushInterval, jsonMapper, eventBus, clock, Metrics.globalRegistry);
	}

	/**
	 * Opens the store and records the time of every batch write as the timer
	 * {@value #WRITE_TIMER} (tag {@code store=file}) in the given registry.
	 */
	public JsonFileRoomRepository(Path dir, Duration flushInterval, JsonMapper jsonMapper, RoomEventBus eventBus,
			Clock clock, MeterRegistry meterRegistry) {
		this(dir, flushInterval, flushInterval, jsonMapper, eventBus, clock, meterRegistry);
	}

	/**
	 * A store whose changes that only record activity ({@link Durability#ACTIVITY}) wait
	 * up to {@code activityFlushInterval} (at least {@code flushInterval}).
	 */
	public JsonFileRoomRepository(Path dir, Duration flushInterval, Duration activityFlushInterval,
			JsonMapper jsonMapper, RoomEventBus eventBus, Clock clock, MeterRegistry meterRegistry) {
		this(dir, flushInterval, activityFlushInterval, jsonMapper, eventBus, clock, meterRegistry,
				RoomHistory.DEFAULT_SIZE);
	}

	/**
	 * A store whose rooms keep their last {@code historySize} events (0: none) in their
	 * files.
	 */
	public JsonFileRoomRepository(Path dir, Duration flushInterval, Duration activityFlushInterval,
			JsonMapper jsonMapper, RoomEventBus eventBus, Clock clock, MeterRegistry meterRegistry, int historySize) {
		super(eventBus, historySize);
		try {
			Files.createDirectories(dir);
			this.lock = StoreDirectoryLock.acquire(dir);
		}
		catch (IOException ex) {
			throw new StoreStartupException("Cannot open the store directory " + dir.toAbsolutePath()
					+ " (rooms.store.dir): " + ex.getMessage(), ex);
		}
		this.files = new RoomFiles(dir, jsonMapper);
		boolean cleanStop = consumeCleanStopMarker(dir);
		List<String> raised = load(clock.instant(), !cleanStop);
		Timer writeTimer = Timer.builder(WRITE_TIMER)
			.description("Time to store one batch of changed rooms (write, fsync, rename)")
			.tag("store", "file")
			.register(meterRegistry);
		this.writer = new GroupCommitWriter(this.files, table()::current, flushInterval, activityFlushInterval,
				writeTimer);
		for (String code : raised) {
			this.writer.changed(code, Durability.DEFERRED);
		}
	}

	/** Whether the last close was clean; the marker is removed, so a crash is noticed. */
	private static boolean consumeCleanStopMarker(Path dir) {
		try {
			return Files.deleteIfExists(dir.resolve(CLEAN_STOP_MARKER));
		}
		catch (IOException ex) {
			throw new StoreStartupException("Cannot update " + dir.resolve(CLEAN_STOP_MARKER).toAbsolutePath()
					+ " (rooms.store.dir): " + ex.getMessage(), ex);
		}
	}

	/** Marks the room to be written by the next batch (at once if durable). */
	@Override
	protected LocalRoomTable.Ticket changed(String code, Durability durability) {
		return this.writer.changed(code, durability);
	}

	/**
	 * Loads every room file.
	 * @param raiseSeq whether to raise every room's seq (the last stop was not clean)
	 * @return the codes of the rooms whose seq was raised
	 */
	private List<String> load(Instant now, boolean raiseSeq) {
		List<String> raised = new ArrayList<>();
		long started = System.nanoTime();
		int loaded = 0;
		int setAside = 0;
		int tempFiles = 0;
		List<Path> roomFiles = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(this.files.dir())) {
			for (Path file : entries) {
				String name = file.getFileName().toString();
				if (name.endsWith(RoomFiles.TEMP_SUFFIX)) {
					Files.deleteIfExists(file);
					tempFiles++;
				}
				else if (name.endsWith(RoomFiles.SUFFIX) && Files.isRegularFile(file)) {
					roomFiles.add(file);
				}
			}
		}
		catch (IOException ex) {
			throw new StoreStartupException("Cannot read the store directory " + this.files.dir().toAbsolutePath()
					+ " (rooms.store.dir): " + ex.getMessage(), ex);
		}
		// Reading and parsing are most of a large store's start-up: done on every core.
		for (RoomFileContent content : roomFiles.parallelStream().map(this::read).toList()) {
			if (content.room() != null) {
				Room room = disconnectEveryone(content.room(), now);
				if (raiseSeq) {
					room = room.edit()
						.seq(room.seq() + SEQ_MARGIN_AFTER_CRASH)
						.history(room.history().withNewEpoch())
						.build();
					raised.add(room.code());
				}
				table().load(room);
				loaded++;
			}
			else {
				setAside(content.file(), content.corruption(), now);
				setAside++;
			}
		}
		long millis = (System.nanoTime() - started) / 1_000_000;
		log.info(LogLine.of("store-loaded")
			.with("store", "file")
			.with("dir", this.files.dir().toAbsolutePath())
			.with("rooms", loaded)
			.with("millis", millis)
			.with("corrupt", setAside)
			.with("tempFilesRemoved", tempFiles)
			.with("cleanStop", !raiseSeq)
			.with("seqRaised", raised.size()));
		return raised;
	}

	private RoomFileContent read(Path file) {
		try {
			return new RoomFileContent(file, this.files.read(file), null);
		}
		catch (RoomFiles.CorruptRoomFileException ex) {
			return new RoomFileContent(file, null, ex.getMessage());
		}
	}

	/** A room file read at start-up: its room, or why it cannot be loaded. */
	private record RoomFileContent(Path file, Room room, String corruption) {

	}

	private void setAside(Path file, String reason, Instant now) {
		try {
			Path corrupt = Files.createDirectories(this.files.dir().resolve("corrupt"));
			Path target = corrupt.resolve(file.getFileName() + "." + now.toEpochMilli());
			Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
			log.warn(LogLine.of("store-file-set-aside")
				.with("file", file.getFileName())
				.with("movedTo", "corrupt/" + target.getFileName())
				.with("reason", reason));
		}
		catch (IOException ex) {
			log.warn(LogLine.of("store-file-set-aside-failed")
				.with("file", file.getFileName())
				.with("reason", reason)
				.with("error", ex.getMessage()));
		}
	}

	private void markCleanStop() {
		try {
			Files.write(this.files.dir().resolve(CLEAN_STOP_MARKER), new byte[0]);
			this.files.forceDirectory();
		}
		catch (IOException ex) {
			log.warn(LogLine.of("store-clean-stop-not-marked").with("error", ex.getMessage()));
		}
	}

	private static Room disconnectEveryone(Room room, Instant now) {
		if (room.members().stream().noneMatch(Member::connected)) {
			return room;
		}
		return room.edit()
			.members(room.members()
				.stream()
				.map((member) -> member.connected() ? member.withPresence(false, now) : member)
				.toList())
			.build();
	}

	@Override
	public void flush() {
		this.writer.flush();
	}

	@Override
	public String type() {
		return "file";
	}

	/** The store directory, for health checks. */
	public Path directory() {
		return this.files.dir();
	}

	/**
	 * Why the last batch write failed, for the store's health; it is retried until it
	 * succeeds.
	 * @return the error of the last batch, or {@code null} if it was stored
	 */
	public String lastWriteError() {
		return this.writer.lastError();
	}

	/** Stores everything pending, stops the writer and releases the directory lock. */
	@Override
	public void close() {
		long started = System.nanoTime();
		boolean flushed = this.writer.close();
		if (flushed) {
			markCleanStop();
		}
		try {
			this.lock.close();
		}
		catch (IOException ex) {
			log.warn(LogLine.of("store-unlock-failed").with("error", ex.getMessage()));
		}
		log.info(LogLine.of("store-closed")
			.with("store", "file")
			.with("rooms", count())
			.with("flushed", flushed)
			.with("millis", (System.nanoTime() - started) / 1_000_000));
	}

}
