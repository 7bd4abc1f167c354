package dev.roomkeeper.store.local;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import dev.roomkeeper.room.ChangeResult;
import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.HistoryEvent;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomActivity;
import dev.roomkeeper.room.RoomChange;
import dev.roomkeeper.room.RoomHistory;
import dev.roomkeeper.room.event.PublishedEvent;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.room.event.RoomTopicEvent;

/**
 * The rooms of one process, held in memory with a lock per room: the shared core of the
 * memory and file stores.
 * <p>
 * A change runs under its room's lock, then its events are published (still under the
 * lock, so they leave in seq order), then the {@link ChangeSink} is told, and only after
 * the lock is released does the caller wait for durability, so a slow disk never holds a
 * room.
 * <p>
 * Every change's room-topic events are appended to the room's {@link RoomHistory} in the
 * same step, so the history is exactly the events that were published, stored with the
 * room.
 * <p>
 * The table also keeps the lifecycle indexes of
 * {@link dev.roomkeeper.room.RoomRepository} (inactive, unwarned, members disconnected,
 * without connected members): every create, update, delete and load moves the room's
 * entries under its lock, so the sweeper finds the rooms that are due without reading the
 * others.
 * <p>
 * The members of all rooms are counted the same way: every create, update, delete and
 * load adds the difference it makes under the room's lock, so the totals of
 * {@link RoomActivity} are there without reading a room (a file store computes them once
 * as it loads its rooms).
 */
public final class LocalRoomTable {

	private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

	private final LifecycleIndexes indexes = new LifecycleIndexes();

	/** The members of every room in the table. */
	private final AtomicLong members = new AtomicLong();

	private final RoomEventBus eventBus;

	private final ChangeSink sink;

	private final int historySize;

	public LocalRoomTable(RoomEventBus eventBus, ChangeSink sink) {
		this(eventBus, sink, RoomHistory.DEFAULT_SIZE);
	}

	/**
	 * A table whose rooms keep their last {@code historySize} room-topic events
	 * ({@link RoomHistory}; 0 keeps none).
	 */
	public LocalRoomTable(RoomEventBus eventBus, ChangeSink sink, int historySize) {
		this.eventBus = eventBus;
		this.sink = sink;
		this.historySize = historySize;
	}

	/**
	 * Puts the rooms loaded from storage into the table, which must be empty and not yet
	 * shared (a store being opened); no events, no write. The rooms go in in parallel,
	 * and each ordered index is sorted once and built in one pass.
	 * @throws IllegalStateException if the table has rooms
	 */
	public void loadAll(Collection<Room> rooms) {
		if (!this.slots.isEmpty()) {
			throw new IllegalStateException("Rooms are loaded only into an empty table");
		}
		rooms.parallelStream().forEach((room) -> this.slots.put(room.code(), new Slot(room)));
		// from the table, so a code given twice is indexed once, as its room
		List<Room> loaded = findAll();
		this.indexes.fill(loaded);
		this.members.addAndGet(loaded.stream().mapToLong((room) -> room.members().size()).sum());
	}

	/**
	 * The current room of a code, or null; used by the writer to snapshot what to store.
	 */
	public Room current(String code) {
		Slot slot = this.slots.get(code);
		return (slot != null) ? slot.room : null;
	}

	public boolean create(Room room) {
		Slot slot = new Slot(room);
		Ticket ticket;
		slot.lock.lock();
		try {
			if (this.slots.putIfAbsent(room.code(), slot) != null) {
				return false;
			}
			this.indexes.replace(null, room);
			this.members.addAndGet(room.members().size());
			ticket = this.sink.changed(room.code(), Durability.DURABLE);
		}
		finally {
			slot.lock.unlock();
		}
		ticket.await();
		return true;
	}

	public Optional<Room> find(String code) {
		return Optional.ofNullable(current(code));
	}

	public <R> Optional<R> update(String code, RoomChange<R> change, Durability durability) {
		Slot slot = this.slots.get(code);
		if (slot == null) {
			return Optional.empty();
		}
		ChangeResult<R> result;
		Ticket ticket = Ticket.DONE;
		slot.lock.lock();
		try {
			Room current = slot.room;
			if (current == null) {
				return Optional.empty();
			}
			result = change.apply(current);
			List<PublishedEvent> published = publishable(result.events());
			Room next = withHistory(result, current, published);
			if (result.delete()) {
				// Entries go before the slot, so a new room with this code keeps its own.
				this.indexes.replace(current, null);
				this.members.addAndGet(-current.members().size());
				slot.room = null;
				this.slots.remove(code, slot);
			}
			else if (next != null) {
				this.indexes.replace(current, next);
				this.members.addAndGet(next.members().size() - current.members().size());
				slot.room = next;
			}
			for (PublishedEvent event : published) {
				this.eventBus.publish(event);
			}
			if (result.delete() || next != null) {
				ticket = this.sink.changed(code, durability);
			}
		}
		finally {
			slot.lock.unlock();
		}
		ticket.await();
		return Optional.ofNullable(result.result());
	}

	private List<PublishedEvent> publishable(List<RoomTopicEvent> events) {
		if (events.isEmpty()) {
			return List.of();
		}
		List<PublishedEvent> published = new ArrayList<>(events.size());
		for (RoomTopicEvent event : events) {
			published.add(this.eventBus.encode(event));
		}
		return published;
	}

	/**
	 * The room to keep after a change: the changed room (or, for events without a change,
	 * the current one) with the change's events appended to its history; null to keep the
	 * room as it is.
	 */
	private Room withHistory(ChangeResult<?> result, Room current, List<PublishedEvent> published) {
		if (result.delete()) {
			return null;
		}
		if (published.isEmpty() || this.historySize <= 0) {
			return result.room();
		}
		Room changed = (result.room() != null) ? result.room() : current;
		List<HistoryEvent> added = new ArrayList<>(published.size());
		for (PublishedEvent event : published) {
			added.add(new HistoryEvent(event.seq(), event.json()));
		}
		return changed.withHistory(changed.history().appended(added, this.historySize));
	}

	public List<Room> findAll() {
		List<Room> rooms = new ArrayList<>(this.slots.size());
		for (Slot slot : this.slots.values()) {
			Room room = slot.room;
			if (room != null) {
				rooms.add(room);
			}
		}
		return rooms;
	}

	/**
	 * The page of {@link dev.roomkeeper.room.RoomRepository#findPage}: one pass over the
	 * codes keeping the {@code limit} smallest after {@code afterCode}, so a page costs
	 * O(n log limit) time and holds only {@code limit} rooms.
	 */
	public List<Room> findPage(String afterCode, int limit) {
		if (limit < 1) {
			throw new IllegalArgumentException("limit must be at least 1");
		}
		String after = afterCode;
		while (true) {
			List<String> codes = smallestCodesAfter(after, limit);
			if (codes.isEmpty()) {
				return List.of();
			}
			List<Room> page = new ArrayList<>(codes.size());
			for (String code : codes) {
				Room room = current(code);
				if (room != null) {
					page.add(room);
				}
			}
			if (!page.isEmpty()) {
				return page;
			}
			// Every room of this page was deleted meanwhile: an empty page would end the
			// walk.
			after = codes.get(codes.size() - 1);
		}
	}

	private List<String> smallestCodesAfter(String afterCode, int limit) {
		PriorityQueue<String> smallest = new PriorityQueue<>(Comparator.reverseOrder());
		for (String code : this.slots.keySet()) {
			if (afterCode != null && code.compareTo(afterCode) <= 0) {
				continue;
			}
			if (smallest.size() < limit) {
				smallest.add(code);
			}
			else if (code.compareTo(smallest.peek()) < 0) {
				smallest.poll();
				smallest.add(code);
			}
		}
		List<String> codes = new ArrayList<>(smallest);
		codes.sort(Comparator.naturalOrder());
		return codes;
	}

	public int count() {
		return this.slots.size();
	}

	/** See {@link dev.roomkeeper.room.RoomRepository#findInactiveSince}. */
	public List<String> findInactiveSince(Instant cutoff, int limit) {
		return this.indexes.inactiveSince(cutoff, checkLimit(limit));
	}

	/** See {@link dev.roomkeeper.room.RoomRepository#findUnwarnedInactiveSince}. */
	public List<String> findUnwarnedInactiveSince(Instant cutoff, int limit) {
		return this.indexes.unwarnedInactiveSince(cutoff, checkLimit(limit));
	}

	/**
	 * See {@link dev.roomkeeper.room.RoomRepository#findWithMembersDisconnectedSince}.
	 */
	public List<String> findWithMembersDisconnectedSince(Instant cutoff, int limit) {
		return this.indexes.membersDisconnectedSince(cutoff, checkLimit(limit));
	}

	/** See {@link dev.roomkeeper.room.RoomRepository#findWithoutConnectedMembers}. */
	public List<String> findWithoutConnectedMembers(int limit) {
		return this.indexes.withoutConnectedMembers(checkLimit(limit));
	}

	/** See {@link RoomActivity#totals()}. */
	public RoomActivity.Totals totals() {
		return new RoomActivity.Totals(this.slots.size(), this.members.get());
	}

	/** See {@link RoomActivity#totalsInactiveSince}. */
	public RoomActivity.Totals totalsInactiveSince(Instant cutoff) {
		long rooms = 0;
		long members = 0;
		for (String code : this.indexes.inactiveSince(cutoff, Integer.MAX_VALUE)) {
			Room room = current(code);
			if (room != null && !room.lastActivityAt().isAfter(cutoff)) {
				rooms++;
				members += room.members().size();
			}
		}
		return new RoomActivity.Totals(rooms, members);
	}

	/** See {@link RoomActivity#countActiveAfter}. */
	public int countActiveAfter(Instant after) {
		return this.indexes.countActiveAfter(after);
	}

	/** See {@link RoomActivity#findMostRecentlyActive}. */
	public List<Room> findMostRecentlyActive(Instant after, Instant until, int offset, int limit) {
		if (offset < 0) {
			throw new IllegalArgumentException("offset must not be negative, was " + offset);
		}
		List<String> codes = this.indexes.mostRecentlyActive(after, until, offset, checkLimit(limit));
		List<Room> rooms = new ArrayList<>(codes.size());
		for (String code : codes) {
			Room room = current(code);
			if (room != null) {
				rooms.add(room);
			}
		}
		return rooms;
	}

	private static int checkLimit(int limit) {
		if (limit < 1) {
			throw new IllegalArgumentException("limit must be at least 1, was " + limit);
		}
		return limit;
	}

	/** Where a table reports changed rooms, so they can be stored. */
	@FunctionalInterface
	public interface ChangeSink {

		/**
		 * Called under the room's lock after a change; must not block.
		 * @return what the caller awaits once the lock is released
		 */
		Ticket changed(String code, Durability durability);

	}

	/** Something to wait for after a room's lock is released. */
	@FunctionalInterface
	public interface Ticket {

		Ticket DONE = () -> {
		};

		void await();

	}

	private static final class Slot {

		private final ReentrantLock lock = new ReentrantLock();

		private volatile Room room;

		private Slot(Room room) {
			this.room = room;
		}

	}

}
