package dev.roomkeeper.store.redis;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * A lock per room code within this process, held only while a room is being changed
 * (entries are dropped when the last holder leaves). It keeps the threads of one instance
 * from racing each other for the same room in Redis, so compare-and-set conflicts only
 * happen between instances. Not reentrant, and released by whichever thread finishes the
 * change (a message written in the background is finished on Redis's reply).
 */
final class RoomLocks {

	private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

	/** Locks a room; close the handle to unlock. */
	Held lock(String code) {
		Entry entry = this.entries.compute(code, (key, current) -> {
			Entry used = (current != null) ? current : new Entry();
			used.users++;
			return used;
		});
		entry.lock.acquireUninterruptibly();
		return () -> {
			entry.lock.release();
			this.entries.compute(code, (key, current) -> (--entry.users == 0) ? null : entry);
		};
	}

	/** Rooms with a lock in use; for tests. */
	int size() {
		return this.entries.size();
	}

	/** A held room lock. */
	@FunctionalInterface
	interface Held extends AutoCloseable {

		@Override
		void close();

	}

	private static final class Entry {

		private final Semaphore lock = new Semaphore(1);

		/**
		 * Threads holding or waiting; changed only inside {@code compute} for the code.
		 */
		private int users;

	}

}
