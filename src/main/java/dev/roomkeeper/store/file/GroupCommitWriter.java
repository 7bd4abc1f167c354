package dev.roomkeeper.store.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.micrometer.core.instrument.Timer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.StoreUnavailableException;
import dev.roomkeeper.store.local.LocalRoomTable;
import dev.roomkeeper.system.LogLine;

/**
 * Stores changed rooms in batches on one thread (group commit).
 * <p>
 * Callers only mark a room dirty; the writer takes every dirty room at once, writes each
 * current version to a forced temp file, renames them all, forces the directory once, and
 * then releases every caller that waited for that batch. Concurrent durable writers thus
 * share one directory fsync, and many changes to one room cost one write. Deferred (live)
 * changes wait up to the flush interval to be coalesced; a durable change starts a batch
 * at once. Changes that only record activity ({@link Durability#ACTIVITY}: broadcasts and
 * keep-alives, which move {@code seq} and {@code lastActivityAt}) wait up to the longer
 * activity flush interval, unless the room changes otherwise meanwhile: a busy chat room
 * is then written every half minute, not every second. {@link #flush()} and
 * {@link #close()} store them too.
 * <p>
 * The outcome is per room: when one room of a batch cannot be written, only the callers
 * that waited for that room fail ({@code store-unavailable}); the others' rooms are
 * stored and they succeed. Only a failure of the whole batch (the directory cannot be
 * forced) fails every caller.
 */
final class GroupCommitWriter implements LocalRoomTable.ChangeSink {

	private static final Log log = LogFactory.getLog(GroupCommitWriter.class);

	/** Temp files written and forced at the same time within one batch. */
	private static final int PARALLEL_WRITES = 16;

	private final RoomFiles files;

	private final Function<String, Room> currentRoom;

	private final long flushIntervalNanos;

	private final long activityFlushIntervalNanos;

	private final Timer writeTimer;

	/** Why the last batch failed, or null if it was stored (or none ran yet). */
	private volatile String lastError;

	private final Object monitor = new Object();

	private final Thread thread;

	private final ExecutorService fsyncPool = Executors.newFixedThreadPool(PARALLEL_WRITES, (runnable) -> {
		Thread thread = new Thread(runnable, "roomkeeper-file-fsync");
		thread.setDaemon(true);
		return thread;
	});

	private Set<String> dirty = new LinkedHashSet<>();

	/** Rooms with only activity to store, not (yet) in {@link #dirty}. */
	private Set<String> activityOnly = new LinkedHashSet<>();

	private long firstActivityAt;

	/** Set by {@link #flush()}: the next batch takes the activity-only rooms too. */
	private boolean flushAll;

	/** Completes with the codes of the batch that could not be stored (none: empty). */
	private CompletableFuture<Set<String>> nextBatch = new CompletableFuture<>();

	private CompletableFuture<Set<String>> batchInFlight = CompletableFuture.completedFuture(Set.of());

	private boolean urgent;

	private long firstDeferredAt;

	private boolean closed;

	GroupCommitWriter(RoomFiles files, Function<String, Room> currentRoom, java.time.Duration flushInterval,
			Timer writeTimer) {
		this(files, currentRoom, flushInterval, flushInterval, writeTimer);
	}

	GroupCommitWriter(RoomFiles files, Function<String, Room> currentRoom, java.time.Duration flushInterval,
			java.time.Duration activityFlushInterval, Timer writeTimer) {
		this.files = files;
		this.currentRoom = currentRoom;
		this.flushIntervalNanos = flushInterval.toNanos();
		this.activityFlushIntervalNanos = Math.max(this.flushIntervalNanos, activityFlushInterval.toNanos());
		this.writeTimer = writeTimer;
		this.thread = new Thread(this::run, "roomkeeper-file-writer");
		this.thread.setDaemon(false);
		this.thread.start();
	}

	@Override
	public LocalRoomTable.Ticket changed(String code, Durability durability) {
		CompletableFuture<Set<String>> batch;
		synchronized (this.monitor) {
			if (this.closed) {
				log.warn(LogLine.of("store-change-after-close").with("room", code).with("stored", false));
				return LocalRoomTable.Ticket.DONE;
			}
			if (durability == Durability.ACTIVITY) {
				if (!this.dirty.contains(code)) {
					if (this.activityOnly.isEmpty()) {
						this.firstActivityAt = System.nanoTime();
						this.monitor.notifyAll();
					}
					this.activityOnly.add(code);
				}
				return LocalRoomTable.Ticket.DONE;
			}
			this.dirty.add(code);
			if (this.activityOnly.remove(code) && this.activityOnly.isEmpty()) {
				this.firstActivityAt = 0;
			}
			if (durability == Durability.DURABLE) {
				this.urgent = true;
				this.monitor.notifyAll();
			}
			else if (this.firstDeferredAt == 0) {
				this.firstDeferredAt = System.nanoTime();
				this.monitor.notifyAll();
			}
			batch = this.nextBatch;
		}
		return (durability == Durability.DURABLE) ? () -> await(batch, code) : LocalRoomTable.Ticket.DONE;
	}

	/**
	 * Stores everything changed so far; returns when it is on disk.
	 * @throws StoreUnavailableException if any room could not be stored
	 */
	void flush() {
		CompletableFuture<Set<String>> batch;
		synchronized (this.monitor) {
			if (this.dirty.isEmpty() && this.activityOnly.isEmpty()) {
				batch = this.batchInFlight;
			}
			else {
				this.urgent = true;
				this.flushAll = true;
				this.monitor.notifyAll();
				batch = this.nextBatch;
			}
		}
		await(batch, null);
	}

	/**
	 * Why the last batch could not be stored, or {@code null} if it was (or none ran
	 * yet).
	 */
	String lastError() {
		return this.lastError;
	}

	/**
	 * Flushes, then stops the writer thread.
	 * @return whether everything was stored (the last batch succeeded and the writer
	 * finished in time)
	 */
	boolean close() {
		synchronized (this.monitor) {
			this.closed = true;
			this.urgent = true;
			this.monitor.notifyAll();
		}
		try {
			this.thread.join(TimeUnit.SECONDS.toMillis(30));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.fsyncPool.shutdown();
		return !this.thread.isAlive() && this.lastError == null;
	}

	private void run() {
		while (true) {
			Set<String> batch;
			CompletableFuture<Set<String>> done;
			synchronized (this.monitor) {
				try {
					waitForWork();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				if (this.closed || this.flushAll || isDue(this.firstActivityAt, this.activityFlushIntervalNanos)) {
					this.dirty.addAll(this.activityOnly);
					this.activityOnly = new LinkedHashSet<>();
					this.firstActivityAt = 0;
					this.flushAll = false;
				}
				if (this.dirty.isEmpty() && this.closed) {
					this.nextBatch.complete(Set.of());
					return;
				}
				batch = this.dirty;
				done = this.nextBatch;
				this.dirty = new LinkedHashSet<>();
				this.nextBatch = new CompletableFuture<>();
				this.batchInFlight = done;
				this.urgent = false;
				this.firstDeferredAt = 0;
			}
			long started = System.nanoTime();
			try {
				Set<String> failed = write(batch);
				this.writeTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
				if (failed.isEmpty()) {
					this.lastError = null;
				}
				else {
					this.lastError = "could not store " + failed.size() + " room(s)";
					retryLater(retryable(failed));
				}
				done.complete(failed);
			}
			catch (IOException | RuntimeException ex) {
				this.writeTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
				this.lastError = ex.getClass().getSimpleName() + ": " + ex.getMessage();
				log.error(LogLine.of("store-write-failed")
					.with("rooms", batch.size())
					.with("dir", this.files.dir().toAbsolutePath()), ex);
				retryLater(retryable(batch));
				done.completeExceptionally(ex);
			}
		}
	}

	private void waitForWork() throws InterruptedException {
		while (!this.closed && !this.urgent) {
			long remaining = Long.MAX_VALUE;
			if (!this.dirty.isEmpty()) {
				remaining = this.flushIntervalNanos - (System.nanoTime() - this.firstDeferredAt);
			}
			if (!this.activityOnly.isEmpty()) {
				remaining = Math.min(remaining,
						this.activityFlushIntervalNanos - (System.nanoTime() - this.firstActivityAt));
			}
			if (remaining == Long.MAX_VALUE) {
				this.monitor.wait();
				continue;
			}
			if (remaining <= 0) {
				return;
			}
			TimeUnit.NANOSECONDS.timedWait(this.monitor, remaining);
		}
	}

	private static boolean isDue(long since, long intervalNanos) {
		return since != 0 && System.nanoTime() - since >= intervalNanos;
	}

	/** The failed codes worth retrying: those that can name a file. */
	private Set<String> retryable(Set<String> failed) {
		Set<String> retry = new LinkedHashSet<>();
		for (String code : failed) {
			try {
				this.files.fileOf(code);
				retry.add(code);
			}
			catch (IllegalArgumentException ex) {
				// logged when it failed; retrying cannot help
			}
		}
		return retry;
	}

	private void retryLater(Set<String> batch) {
		synchronized (this.monitor) {
			if (this.closed) {
				return;
			}
			this.dirty.addAll(batch);
			if (this.firstDeferredAt == 0) {
				this.firstDeferredAt = System.nanoTime();
			}
		}
	}

	/**
	 * Stores a batch. A room that cannot be written (or deleted) does not hold back the
	 * others: they are committed, and the codes that failed are returned to be retried (a
	 * room whose code can never be a file name is dropped with an error instead, so it
	 * cannot fail every later batch).
	 * @return the codes that could not be stored
	 * @throws IOException if the directory cannot be forced: nothing of the batch is
	 * known to be stored
	 */
	private Set<String> write(Set<String> batch) throws IOException {
		List<Room> rooms = new ArrayList<>(batch.size());
		Set<String> failed = new LinkedHashSet<>();
		for (String code : batch) {
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
		failed.addAll(writeTemps(rooms));
		for (Room room : rooms) {
			if (failed.contains(room.code())) {
				continue;
			}
			try {
				this.files.commit(room.code());
			}
			catch (IOException ex) {
				log.error(LogLine.of("store-write-failed").with("room", room.code()), ex);
				failed.add(room.code());
			}
		}
		this.files.forceDirectory();
		return failed;
	}

	/**
	 * Writes and forces the temp files of a batch; several at once, because concurrent
	 * fsyncs share the file system's journal commits where serial ones each pay for their
	 * own.
	 * @return the codes whose temp file could not be written and should be retried
	 */
	private Set<String> writeTemps(List<Room> rooms) throws IOException {
		List<Future<?>> writes = new ArrayList<>(rooms.size());
		for (Room room : rooms) {
			if (rooms.size() == 1) {
				writes.add(CompletableFuture.runAsync(() -> writeTemp(room), Runnable::run));
			}
			else {
				writes.add(this.fsyncPool.submit(() -> writeTemp(room)));
			}
		}
		Set<String> failed = new LinkedHashSet<>();
		for (int i = 0; i < writes.size(); i++) {
			try {
				writes.get(i).get();
			}
			catch (ExecutionException ex) {
				Room room = rooms.get(i);
				if (ex.getCause() instanceof IllegalArgumentException) {
					log.error(LogLine.of("store-write-dropped").with("room", room.code()), ex.getCause());
					failed.add(room.code());
					continue;
				}
				log.error(LogLine.of("store-write-failed").with("room", room.code()), ex.getCause());
				failed.add(room.code());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException("Interrupted while writing rooms", ex);
			}
		}
		return failed;
	}

	private void writeTemp(Room room) {
		try {
			this.files.writeTemp(room);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Waits for a batch and fails if the given room (with {@code null}: any room) of it
	 * could not be stored.
	 */
	private static void await(CompletableFuture<Set<String>> batch, String code) {
		Set<String> failed;
		try {
			failed = batch.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StoreUnavailableException("Interrupted while storing the room", ex);
		}
		catch (ExecutionException ex) {
			throw new StoreUnavailableException("The room could not be stored", ex.getCause());
		}
		if ((code != null) ? failed.contains(code) : !failed.isEmpty()) {
			throw new StoreUnavailableException("The room could not be stored",
					new IOException("Could not store " + ((code != null) ? "room " + code : "rooms " + failed)));
		}
	}

}
