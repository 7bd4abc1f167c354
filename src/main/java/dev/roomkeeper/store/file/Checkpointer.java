package dev.roomkeeper.store.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.StoreUnavailableException;
import dev.roomkeeper.system.LogLine;

/**
 * Writes journaled rooms to their room files and then drops the journal segments they
 * cover (a checkpoint), in the background every checkpoint interval, as soon as the
 * journal has grown past {@link #JOURNAL_BYTES} since the last one, and on
 * {@link #checkpoint()} (flush, shutdown).
 * <p>
 * A checkpoint rotates the journal (so the segments before it hold only records of the
 * rooms it hands over), writes every such room's <em>current</em> version (never older
 * than what the journal holds) through a forced temp file and an atomic rename (or
 * deletes the file of a room that is gone), forces the directory, and only then deletes
 * the covered segments, oldest first. A room that cannot be written stays in the journal
 * and is handed to the next checkpoint; the segments stay until a checkpoint covers them,
 * so nothing journaled is ever dropped before its room file holds it.
 */
final class Checkpointer {

	private static final Log log = LogFactory.getLog(Checkpointer.class);

	/** Journal bytes since the last checkpoint that start one at once. */
	static final long JOURNAL_BYTES = 64L << 20;

	/**
	 * How long the checkpoint of {@link #close()} may take: what it has not written by
	 * then stays in the journal (replayed at the next start), so a shutdown stays short.
	 */
	static final Duration CLOSE_BUDGET = Duration.ofSeconds(5);

	/** Temp files written and forced at the same time. */
	private static final int PARALLEL_WRITES = 16;

	private final RoomFiles files;

	private final RoomJournal journal;

	private final Function<String, Room> currentRoom;

	private final long intervalNanos;

	private final ReentrantLock running = new ReentrantLock();

	private final Object monitor = new Object();

	private final Thread thread;

	/**
	 * Writes room files in parallel. Its threads are started up front: a pool that grew
	 * with each busier checkpoint would look like a thread leak to anyone watching the
	 * thread count (as the soak test does), although it is bounded.
	 */
	private final ExecutorService fsyncPool = startedPool();

	private static ExecutorService startedPool() {
		ThreadPoolExecutor pool = new ThreadPoolExecutor(PARALLEL_WRITES, PARALLEL_WRITES, 0, TimeUnit.MILLISECONDS,
				new LinkedBlockingQueue<>(), (runnable) -> {
					Thread thread = new Thread(runnable, "roomkeeper-file-fsync");
					thread.setDaemon(true);
					return thread;
				});
		pool.prestartAllCoreThreads();
		return pool;
	}

	private boolean requested;

	private boolean closed;

	/** Set by {@link #close()}: a background checkpoint in progress stops early. */
	private volatile boolean closing;

	private volatile String lastError;

	Checkpointer(RoomFiles files, RoomJournal journal, Function<String, Room> currentRoom, Duration interval) {
		this.files = files;
		this.journal = journal;
		this.currentRoom = currentRoom;
		this.intervalNanos = interval.toNanos();
		this.thread = new Thread(this::run, "roomkeeper-file-checkpoint");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/** Starts a checkpoint soon if the journal has grown enough; cheap. */
	void journalGrew() {
		if (this.journal.bytesSinceRotation() >= JOURNAL_BYTES) {
			request();
		}
	}

	/**
	 * The journal's segment number after the last checkpoint that covered everything and
	 * deleted every segment before it; an idle store's checkpoints then touch no file.
	 * Guarded by {@code running}.
	 */
	private long cleanThrough = -1;

	/** Starts a checkpoint in the background. */
	void request() {
		synchronized (this.monitor) {
			this.requested = true;
			this.monitor.notifyAll();
		}
	}

	/** Why the last checkpoint did not cover everything, or {@code null}. */
	String lastError() {
		return this.lastError;
	}

	/**
	 * Runs a checkpoint now (after one in progress) and returns when the room files hold
	 * every room journaled before the call.
	 * @throws StoreUnavailableException if a room file could not be written (its changes
	 * stay in the journal)
	 */
	void checkpoint() {
		String error = runCheckpoint(Long.MAX_VALUE);
		if (error != null) {
			throw new StoreUnavailableException("Not every room file could be written", new IOException(error));
		}
	}

	/**
	 * Stops the background checkpoints and runs a last one.
	 * @return why the last one did not cover everything, or {@code null}
	 */
	String close() {
		this.closing = true;
		synchronized (this.monitor) {
			this.closed = true;
			this.monitor.notifyAll();
		}
		try {
			this.thread.join(TimeUnit.SECONDS.toMillis(60));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.closing = false;
		try {
			return runCheckpoint(System.nanoTime() + CLOSE_BUDGET.toNanos());
		}
		catch (RuntimeException ex) {
			log.error(LogLine.of("store-checkpoint-failed").with("dir", this.files.dir().toAbsolutePath()), ex);
			return ex.toString();
		}
		finally {
			this.fsyncPool.shutdown();
		}
	}

	private void run() {
		while (true) {
			synchronized (this.monitor) {
				long deadline = System.nanoTime() + this.intervalNanos;
				while (!this.closed && !this.requested) {
					long remaining = deadline - System.nanoTime();
					if (remaining <= 0) {
						break;
					}
					try {
						TimeUnit.NANOSECONDS.timedWait(this.monitor, remaining);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
				if (this.closed) {
					return;
				}
				this.requested = false;
			}
			try {
				runCheckpoint(Long.MAX_VALUE);
			}
			catch (RuntimeException ex) {
				log.error(LogLine.of("store-checkpoint-failed").with("dir", this.files.dir().toAbsolutePath()), ex);
			}
		}
	}

	/**
	 * Runs one checkpoint.
	 * @param deadline the {@link System#nanoTime()} after which no more room files are
	 * started ({@link Long#MAX_VALUE}: none)
	 * @return why not everything was covered, or {@code null}
	 */
	private String runCheckpoint(long deadline) {
		this.running.lock();
		try {
			long started = System.nanoTime();
			RoomJournal.Rotation rotation;
			try {
				rotation = this.journal.rotate();
			}
			catch (IOException ex) {
				return fail("journal-rotate", ex, Set.of());
			}
			if (rotation.codes().isEmpty() && rotation.end() == this.cleanThrough) {
				// Nothing journaled since the last checkpoint that left the journal
				// empty.
				return null;
			}
			Set<String> failed = writeRooms(rotation.codes(), deadline);
			try {
				this.files.forceDirectory();
			}
			catch (IOException ex) {
				return fail("force-directory", ex, rotation.codes());
			}
			if (!failed.isEmpty()) {
				boolean outOfTime = failed.remove(OUT_OF_TIME);
				this.journal.stillDirty(failed);
				if (outOfTime) {
					log.info(LogLine.of("store-checkpoint-incomplete")
						.with("roomsLeftInJournal", failed.size())
						.with("reason", "out of time"));
					return "out of time";
				}
				String error = "could not write " + failed.size() + " room file(s); their changes stay in the journal";
				this.lastError = error;
				return error;
			}
			try {
				this.journal.deleteBefore(rotation.end());
			}
			catch (IOException ex) {
				return fail("journal-delete", ex, Set.of());
			}
			this.cleanThrough = rotation.end();
			this.lastError = null;
			long millis = (System.nanoTime() - started) / 1_000_000;
			if (!rotation.codes().isEmpty() && (log.isDebugEnabled() || millis >= 1000)) {
				log.info(LogLine.of("store-checkpoint").with("rooms", rotation.codes().size()).with("millis", millis));
			}
			return null;
		}
		finally {
			this.running.unlock();
		}
	}

	private String fail(String step, IOException ex, Set<String> codes) {
		this.journal.stillDirty(codes);
		String error = step + ": " + ex.getClass().getSimpleName() + ": " + ex.getMessage();
		this.lastError = error;
		log.error(LogLine.of("store-checkpoint-failed").with("step", step).with("retry", "next checkpoint"), ex);
		return error;
	}

	/**
	 * Writes (or deletes) the room files of the codes: temp files several at once, since
	 * concurrent fsyncs share the file system's journal commits, then the renames.
	 * @return the codes whose file could not be written
	 */
	private Set<String> writeRooms(Set<String> codes, long deadline) {
		List<Room> rooms = new ArrayList<>(codes.size());
		Set<String> failed = new LinkedHashSet<>();
		for (String code : codes) {
			if (outOfTime(deadline)) {
				failed.add(code);
				failed.add(OUT_OF_TIME);
				continue;
			}
			Room room = this.currentRoom.apply(code);
			if (room != null) {
				rooms.add(room);
				continue;
			}
			try {
				this.files.delete(code);
			}
			catch (IOException | IllegalArgumentException ex) {
				log.error(LogLine.of("store-delete-failed").with("room", code), ex);
				failed.add(code);
			}
		}
		List<Future<?>> writes = new ArrayList<>(rooms.size());
		for (Room room : rooms) {
			writes.add(this.fsyncPool.submit(() -> {
				if (outOfTime(deadline)) {
					throw new OutOfTimeException();
				}
				writeTemp(room);
			}));
		}
		for (int i = 0; i < writes.size(); i++) {
			Room room = rooms.get(i);
			try {
				writes.get(i).get();
				this.files.commit(room.code());
			}
			catch (ExecutionException | IOException ex) {
				Throwable cause = (ex instanceof ExecutionException) ? ex.getCause() : ex;
				if (cause instanceof OutOfTimeException) {
					failed.add(room.code());
					failed.add(OUT_OF_TIME);
					continue;
				}
				log.error(LogLine.of("store-room-file-write-failed").with("room", room.code()), cause);
				failed.add(room.code());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				failed.add(room.code());
			}
		}
		return failed;
	}

	private boolean outOfTime(long deadline) {
		return this.closing || (deadline != Long.MAX_VALUE && System.nanoTime() - deadline > 0);
	}

	/** Not a code: marks a checkpoint that ran out of time. */
	private static final String OUT_OF_TIME = "";

	/** A room file not started before the deadline. */
	private static final class OutOfTimeException extends RuntimeException {

		OutOfTimeException() {
			super(null, null, false, false);
		}

	}

	private void writeTemp(Room room) {
		try {
			this.files.writeTemp(room);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
