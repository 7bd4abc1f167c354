package dev.roomkeeper.store.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomHistory;
import dev.roomkeeper.room.StoreStartupException;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.store.local.LocalRoomRepository;
import dev.roomkeeper.store.local.LocalRoomTable;
import dev.roomkeeper.system.LogLine;

/**
 * Keeps one JSON file per room in {@code rooms.store.dir}, a journal of changes in
 * {@code journal/}, and every room in memory for reads.
 * <p>
 * A change is appended to the journal and forced, in batches ({@link GroupCommitWriter}:
 * a durable change is on disk when {@link #update} returns, and concurrent writers share
 * one {@code fsync}). In the background, and on {@link #flush()} and {@link #close()}, a
 * checkpoint ({@link Checkpointer}) writes the changed rooms to their files (crash-safe:
 * temp file, force, atomic rename) and drops the journal segments they cover, so after a
 * clean close the room files alone hold everything.
 * <p>
 * At start-up the directory is locked against a second process and made {@code 0700},
 * leftover temp files are removed, and every room file is loaded. A file whose name is
 * not {@code CODE.json} for a normalised code, that is not a regular file (a symbolic
 * link is never followed), or that cannot be read as that room (empty, torn, not JSON,
 * wrong shape, another room) is moved to {@code corrupt/} and logged (never its content)
 * while every good room loads. Then the journal is replayed in order over the files (the
 * last record of a room wins; a torn or corrupt tail is cut off and logged, never fatal).
 * Members are loaded as disconnected: whoever was connected when the server stopped is
 * given {@code rooms.presence.stale-after} from the load to come back.
 * <p>
 * A clean close leaves a marker ({@value #CLEAN_STOP_MARKER}). Without it (the process
 * was killed), live changes that were waiting to be journaled (at most the flush
 * interval's) are lost, and with them possibly room events that clients already saw:
 * every room's {@code seq} is then raised by {@value #SEQ_MARGIN_AFTER_CRASH} (one
 * journal record), so {@code seq} never goes back and no client mistakes a new event for
 * one it has seen. Clients reconnect and take the snapshot's {@code seq}.
 */
public class JsonFileRoomRepository extends LocalRoomRepository implements AutoCloseable {

	/** How often changed rooms are written to their files by default. */
	public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(30);

	private static final Log log = LogFactory.getLog(JsonFileRoomRepository.class);

	/** The file a clean close leaves in the directory. */
	static final String CLEAN_STOP_MARKER = ".clean-stop";

	/**
	 * How far {@code seq} is raised after a crash: more room events than a room can
	 * publish while its changes wait to be journaled.
	 */
	static final long SEQ_MARGIN_AFTER_CRASH = 10_000_000;

	private final RoomFiles files;

	private final StoreDirectoryLock lock;

	private final RoomJournal journal;

	private final Checkpointer checkpointer;

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
		this(dir, flushInterval, activityFlushInterval, DEFAULT_CHECKPOINT_INTERVAL, jsonMapper, eventBus, clock,
				meterRegistry);
	}

	/**
	 * A store that writes changed rooms to their files every {@code checkpointInterval}
	 * (and whenever the journal has grown by {@value Checkpointer#JOURNAL_BYTES} bytes).
	 */
	public JsonFileRoomRepository(Path dir, Duration flushInterval, Duration activityFlushInterval,
			Duration checkpointInterval, JsonMapper jsonMapper, RoomEventBus eventBus, Clock clock,
			MeterRegistry meterRegistry) {
		this(dir, flushInterval, activityFlushInterval, checkpointInterval, jsonMapper, eventBus, clock, meterRegistry,
				RoomHistory.DEFAULT_SIZE);
	}

	/**
	 * A store whose rooms keep their last {@code historySize} events (0: none) in their
	 * files ({@link RoomHistory}). After a stop that was not clean every room's history
	 * gets a new epoch with its raised {@code seq}: no client is told it recovered across
	 * the crash.
	 */
	public JsonFileRoomRepository(Path dir, Duration flushInterval, Duration activityFlushInterval,
			Duration checkpointInterval, JsonMapper jsonMapper, RoomEventBus eventBus, Clock clock,
			MeterRegistry meterRegistry, int historySize) {
		super(eventBus, historySize);
		if (checkpointInterval.isZero() || checkpointInterval.isNegative()) {
			throw new StoreStartupException(
					"rooms.store.checkpoint-interval must be positive, was " + checkpointInterval);
		}
		try {
			Files.createDirectories(dir);
			ownerOnly(dir);
			this.lock = StoreDirectoryLock.acquire(dir);
		}
		catch (IOException ex) {
			throw new StoreStartupException("Cannot open the store directory " + dir.toAbsolutePath()
					+ " (rooms.store.dir): " + ex.getMessage(), ex);
		}
		this.files = new RoomFiles(dir, jsonMapper);
		boolean cleanStop = consumeCleanStopMarker(dir);
		StoreLoader.Loaded loaded = new StoreLoader(this.files).load(clock.instant(), !cleanStop,
				SEQ_MARGIN_AFTER_CRASH);
		table().loadAll(loaded.rooms());
		this.journal = new RoomJournal(dir, loaded.nextSegment());
		this.journal.stillDirty(loaded.dirty());
		if (loaded.raised()) {
			try {
				this.journal.append(List.of(new RoomJournal.Entry(RoomJournal.RAISE_SEQ, "",
						Long.toString(SEQ_MARGIN_AFTER_CRASH).getBytes(StandardCharsets.US_ASCII))));
			}
			catch (IOException ex) {
				throw new StoreStartupException("Cannot write the journal in " + dir.toAbsolutePath()
						+ " (rooms.store.dir): " + ex.getMessage(), ex);
			}
		}
		Timer writeTimer = Timer.builder(WRITE_TIMER)
			.description("Time to store one batch of changed rooms (journal append and fsync)")
			.tag("store", "file")
			.register(meterRegistry);
		this.checkpointer = new Checkpointer(this.files, this.journal, table()::current, checkpointInterval);
		this.writer = new GroupCommitWriter(this.files, this.journal, table()::current, flushInterval,
				activityFlushInterval, writeTimer, this.checkpointer::journalGrew);
		if (!loaded.dirty().isEmpty()) {
			this.checkpointer.request();
		}
	}

	/**
	 * Makes the directory {@code 0700}; a directory the server may write but does not own
	 * (a volume's mount point) is left as it is, with a warning.
	 */
	private static void ownerOnly(Path dir) {
		try {
			OwnerOnly.directory(dir);
		}
		catch (IOException ex) {
			log.warn(LogLine.of("store-dir-permissions-not-set")
				.with("dir", dir.toAbsolutePath())
				.with("error", ex.getClass().getSimpleName())
				.with("hint", "make it owned by the server's user, mode 0700"));
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

	private void markCleanStop() {
		try {
			Path marker = this.files.dir().resolve(CLEAN_STOP_MARKER);
			Files.write(marker, new byte[0]);
			OwnerOnly.file(marker);
			this.files.forceDirectory();
		}
		catch (IOException ex) {
			log.warn(LogLine.of("store-clean-stop-not-marked").with("error", ex.getMessage()));
		}
	}

	/**
	 * Journals every pending change, then writes every room changed since the last
	 * checkpoint to its file; returns when both are on disk.
	 */
	@Override
	public void flush() {
		this.writer.flush();
		this.checkpointer.checkpoint();
	}

	/**
	 * Journals the rooms' pending changes; returns when they are on disk (no checkpoint),
	 * at once if none is pending.
	 */
	@Override
	public void flushChanges(Collection<String> codes) {
		this.writer.flush(codes);
	}

	/** Whether the room's changes are journaled (on disk). */
	@Override
	public boolean changesStored(String code) {
		return this.writer.stored(code);
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
	 * Test seam: makes the journal's and the room files' write, force and move steps call
	 * {@code faults} first ({@link FileStoreFaults#NONE} to clear).
	 */
	void injectFaults(FileStoreFaults faults) {
		this.journal.faults(faults);
		this.files.faults(faults);
	}

	/**
	 * Why the last batch write failed, for the store's health; it is retried until it
	 * succeeds.
	 * @return the error of the last batch, or {@code null} if it was stored
	 */
	public String lastWriteError() {
		String error = this.writer.lastError();
		return (error != null) ? error : this.checkpointer.lastError();
	}

	/**
	 * Journals everything pending, stops the writer, writes every changed room to its
	 * file (dropping the journal), and releases the directory lock.
	 */
	@Override
	public void close() {
		long started = System.nanoTime();
		boolean flushed = this.writer.close();
		String checkpointError = this.checkpointer.close();
		try {
			this.journal.close();
		}
		catch (IOException ex) {
			log.warn(LogLine.of("store-journal-close-failed").with("error", ex.getMessage()));
		}
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
			.with("checkpointed", checkpointError == null)
			.with("millis", (System.nanoTime() - started) / 1_000_000));
	}

}
