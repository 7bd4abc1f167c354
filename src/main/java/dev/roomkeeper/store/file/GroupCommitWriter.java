package dev.roomkeeper.store.file;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * Journals changed rooms in batches on one thread (group commit).
 * <p>
 * Callers only mark a room dirty; the writer takes every dirty room at once, appends each
 * one's current version (its full JSON, or a delete) to the {@link RoomJournal}, forces
 * the journal once, and then releases every caller that waited for that batch. Concurrent
 * durable writers thus share one {@code fsync}, and many changes to one room in a batch
 * cost one record. Before it takes a batch the writer yields its core once, so that on a
 * busy core the requests that are about to change a room join the batch (one
 * {@code fsync} for many) instead of each starting its own; on an idle core this costs
 * nothing. Then, if the recent batches held many rooms, it waits up to
 * {@link #GATHER_NANOS} for about as many to be changed again ({@link #gather()}).
 * Deferred (live) changes wait up to the flush interval to be coalesced; a durable change
 * starts a batch at once. Changes that only record activity ({@link Durability#ACTIVITY}:
 * broadcasts and keep-alives, which move {@code seq} and {@code lastActivityAt}) wait up
 * to the activity flush interval (by default the same), unless the room changes otherwise
 * meanwhile. {@link #flush()} and {@link #close()} journal them too. The room files are
 * written later, by the {@link Checkpointer}.
 * <p>
 * A room whose code cannot name a file, or that cannot be serialised, fails only the
 * callers that waited for that room ({@code store-unavailable}) and is not retried. When
 * the journal cannot be written or forced, every caller of the batch fails, and the batch
 * is retried after the flush interval (in a new segment).
 */
final class GroupCommitWriter implements LocalRoomTable.ChangeSink {

	private static final Log log = LogFactory.getLog(GroupCommitWriter.class);

	/**
	 * How long the writer waits at most, before it takes a batch, for as many changed
	 * rooms as the recent batches held: about what one force takes on a local disk.
	 */
	static final long GATHER_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

	private final RoomFiles files;

	private final RoomJournal journal;

	private final Runnable afterAppend;

	private final Function<String, Room> currentRoom;

	/** What the journal holds of each room's history (the writer thread's only). */
	private final JournaledHistories histories;

	private final long flushIntervalNanos;

	private final long activityFlushIntervalNanos;

	private final Timer writeTimer;

	/** Why the last batch failed, or null if it was stored (or none ran yet). */
	private volatile String lastError;

	private final Object monitor = new Object();

	private final Thread thread;

	private Set<String> dirty = new LinkedHashSet<>();

	/** Rooms with only activity to store, not (yet) in {@link #dirty}. */
	private Set<String> activityOnly = new LinkedHashSet<>();

	private long firstActivityAt;

	/** Set by {@link #flush()}: the next batch takes the activity-only rooms too. */
	private boolean flushAll;

	/** Completes with the codes of the batch that could not be stored (none: empty). */
	private CompletableFuture<Set<String>> nextBatch = new CompletableFuture<>();

	private CompletableFuture<Set<String>> batchInFlight = CompletableFuture.completedFuture(Set.of());

	/** The rooms of {@link #batchInFlight}. */
	private Set<String> batchInFlightCodes = Set.of();

	private boolean urgent;

	private long firstDeferredAt;

	private boolean closed;

	/**
	 * While the writer gathers a batch: the number of changed rooms that ends its wait
	 * (0: not gathering).
	 */
	private int gatherUntil;

	/**
	 * How many rooms the next batch is expected to hold: the size of the recent batches,
	 * falling by an eighth a batch when they get smaller (the writer thread's only).
	 */
	private int expectedBatch;

	GroupCommitWriter(RoomFiles files, RoomJournal journal, Function<String, Room> currentRoom,
			java.time.Duration flushInterval, Timer writeTimer) {
		this(files, journal, currentRoom, flushInterval, flushInterval, writeTimer, () -> {
		});
	}

	/**
	 * Starts the writer thread.
	 * @param afterAppend run on the writer thread after every batch appended to the
	 * journal (the checkpointer looks at the journal's size)
	 */
	GroupCommitWriter(RoomFiles files, RoomJournal journal, Function<String, Room> currentRoom,
			java.time.Duration flushInterval, java.time.Duration activityFlushInterval, Timer writeTimer,
			Runnable afterAppend) {
		this.files = files;
		this.journal = journal;
		this.afterAppend = afterAppend;
		this.currentRoom = currentRoom;
		this.histories = new JournaledHistories(files);
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
				if (this.gatherUntil > 0 && this.dirty.size() >= this.gatherUntil) {
					stopGathering();
				}
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
				stopGathering();
				batch = this.nextBatch;
			}
		}
		await(batch, null);
	}

	/** Whether no change of this room waits to be journaled or is being journaled. */
	boolean stored(String code) {
		synchronized (this.monitor) {
			return !this.dirty.contains(code) && !this.activityOnly.contains(code)
					&& (this.batchInFlight.isDone() || !this.batchInFlightCodes.contains(code));
		}
	}

	/**
	 * Stores the changes of these rooms made so far: returns at once when none waits to
	 * be journaled, else when the batch that journals them is on disk (other rooms'
	 * changes go with it; concurrent callers share the batch).
	 * @throws StoreUnavailableException if one of the rooms could not be stored
	 */
	void flush(Collection<String> codes) {
		CompletableFuture<Set<String>> batch = null;
		synchronized (this.monitor) {
			boolean inFlight = false;
			for (String code : codes) {
				if (this.activityOnly.remove(code)) {
					if (this.activityOnly.isEmpty()) {
						this.firstActivityAt = 0;
					}
					this.dirty.add(code);
				}
				if (this.dirty.contains(code)) {
					batch = this.nextBatch;
				}
				else if (!this.batchInFlight.isDone() && this.batchInFlightCodes.contains(code)) {
					inFlight = true;
				}
			}
			if (batch != null) {
				// The next batch also waits for the one in flight.
				this.urgent = true;
				this.monitor.notifyAll();
				stopGathering();
			}
			else if (inFlight) {
				batch = this.batchInFlight;
			}
			else {
				return;
			}
		}
		awaitRooms(batch, codes);
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
			stopGathering();
		}
		try {
			this.thread.join(TimeUnit.SECONDS.toMillis(30));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
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
			}
			// Requests runnable on this core change their rooms first and join.
			Thread.yield();
			gather();
			synchronized (this.monitor) {
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
				this.expectedBatch = Math.max(batch.size(), this.expectedBatch - Math.max(1, this.expectedBatch / 8));
				done = this.nextBatch;
				this.dirty = new LinkedHashSet<>();
				this.nextBatch = new CompletableFuture<>();
				this.batchInFlight = done;
				this.batchInFlightCodes = batch;
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
				log.error(LogLine.of("store-journal-write-failed")
					.with("rooms", batch.size())
					.with("dir", this.files.dir().toAbsolutePath())
					.with("retry", "after the flush interval"), ex);
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

	/**
	 * Waits up to {@link #GATHER_NANOS} until about as many rooms are changed as the
	 * recent batches held (three quarters of {@link #expectedBatch}), so that writers
	 * that are still on their way (on the other cores, or just woken from the last batch)
	 * join this one instead of each paying a force of their own. Returns at once when
	 * little is expected (one writer alone never waits), when enough rooms are changed,
	 * and on {@link #flush()}, a flush of given rooms and {@link #close()}.
	 */
	private void gather() {
		int target = this.expectedBatch * 3 / 4;
		synchronized (this.monitor) {
			if (target < 2 || this.closed || this.flushAll || this.dirty.size() >= target) {
				return;
			}
			this.gatherUntil = target;
		}
		long deadline = System.nanoTime() + GATHER_NANOS;
		long remaining = GATHER_NANOS;
		while (remaining > 0 && gathering()) {
			LockSupport.parkNanos(this, remaining);
			remaining = deadline - System.nanoTime();
		}
		synchronized (this.monitor) {
			this.gatherUntil = 0;
		}
	}

	private boolean gathering() {
		synchronized (this.monitor) {
			return this.gatherUntil > 0;
		}
	}

	/** Ends the writer's gathering wait (called holding the monitor). */
	private void stopGathering() {
		if (this.gatherUntil > 0) {
			this.gatherUntil = 0;
			LockSupport.unpark(this.thread);
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
	 * Journals a batch: one record per room (its current JSON, with only the history
	 * events the journal does not hold yet, or a delete if it is gone), one write and one
	 * force. A room whose code can never be a file name, or that cannot be serialised, is
	 * dropped with an error instead, so it cannot fail every later batch.
	 * @return the codes that could not be stored
	 * @throws IOException if the journal cannot be written or forced: nothing of the
	 * batch is known to be stored
	 */
	private Set<String> write(Set<String> batch) throws IOException {
		List<RoomJournal.Entry> entries = new ArrayList<>(batch.size());
		Set<String> failed = new LinkedHashSet<>();
		for (String code : batch) {
			try {
				this.files.fileOf(code);
				Room room = this.currentRoom.apply(code);
				if (room != null) {
					entries.add(this.histories.entryFor(room));
				}
				else {
					this.histories.deleted(code);
					entries.add(RoomJournal.Entry.delete(code));
				}
			}
			catch (RuntimeException ex) {
				log.error(LogLine.of("store-write-dropped").with("room", code), ex);
				failed.add(code);
			}
		}
		if (!entries.isEmpty()) {
			try {
				this.journal.append(entries);
			}
			catch (IOException | RuntimeException ex) {
				this.histories.notStored();
				throw ex;
			}
			this.histories.stored();
			this.afterAppend.run();
		}
		return failed;
	}

	/**
	 * Waits for a batch and fails if the given room (with {@code null}: any room) of it
	 * could not be stored.
	 */
	private static void await(CompletableFuture<Set<String>> batch, String code) {
		Set<String> failed = outcome(batch);
		if ((code != null) ? failed.contains(code) : !failed.isEmpty()) {
			throw new StoreUnavailableException("The room could not be stored",
					new IOException("Could not store " + ((code != null) ? "room " + code : "rooms " + failed)));
		}
	}

	/** Waits for a batch and fails if one of the given rooms could not be stored. */
	private static void awaitRooms(CompletableFuture<Set<String>> batch, Collection<String> codes) {
		Set<String> failed = outcome(batch);
		for (String code : codes) {
			if (failed.contains(code)) {
				throw new StoreUnavailableException("The room could not be stored",
						new IOException("Could not store room " + code));
			}
		}
	}

	/** The codes of a batch that could not be stored, once it is done. */
	private static Set<String> outcome(CompletableFuture<Set<String>> batch) {
		try {
			return batch.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StoreUnavailableException("Interrupted while storing the room", ex);
		}
		catch (ExecutionException ex) {
			throw new StoreUnavailableException("The room could not be stored", ex.getCause());
		}
	}

}
