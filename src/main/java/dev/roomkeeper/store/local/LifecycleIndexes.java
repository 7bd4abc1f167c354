package dev.roomkeeper.store.local;

import java.time.Instant;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;

import dev.roomkeeper.room.Member;
import dev.roomkeeper.room.Room;

/**
 * The ordered indexes behind the lifecycle queries of
 * {@link dev.roomkeeper.room.RoomRepository}: one concurrent skip list of
 * {@code (instant, code)} entries per query, so a query reads only the entries it
 * returns, and keeping one room up to date costs {@code O(log n)}. The rooms of a
 * start-up go in with {@link #fill}: each index sorted once and built in one pass, not
 * one insert per room.
 * <p>
 * {@link #replace} must be called under the room's lock, with the room as it was and as
 * it is now, so each room's entries always match its latest version.
 */
final class LifecycleIndexes {

	/** Every room by last activity. */
	private final Index inactive = new Index((room) -> room.lastActivityAt());

	/** Rooms not warned in their current idle period, by last activity. */
	private final Index unwarned = new Index((room) -> (room.warnedAt() == null) ? room.lastActivityAt() : null);

	/** Rooms with a disconnected member, by the earliest such member's last sighting. */
	private final Index disconnected = new Index(LifecycleIndexes::longestGoneMemberSince);

	/** Rooms without a connected member, by last activity. */
	private final Index withoutConnected = new Index(
			(room) -> (room.connectedCount() == 0) ? room.lastActivityAt() : null);

	private final List<Index> all = List.of(this.inactive, this.unwarned, this.disconnected, this.withoutConnected);

	/**
	 * Moves a room's entries from its previous version to its new one.
	 * @param previous the room before the change, or {@code null} if it is new
	 * @param current the room after the change, or {@code null} if it is gone
	 */
	void replace(Room previous, Room current) {
		for (Index index : this.all) {
			index.replace(previous, current);
		}
	}

	/**
	 * Puts the entries of these rooms into the indexes, which must be empty and not yet
	 * shared with other threads (a table being loaded).
	 */
	void fill(Collection<Room> rooms) {
		this.all.parallelStream().forEach((index) -> index.fill(rooms));
	}

	List<String> inactiveSince(Instant cutoff, int limit) {
		return this.inactive.upTo(cutoff, limit);
	}

	List<String> unwarnedInactiveSince(Instant cutoff, int limit) {
		return this.unwarned.upTo(cutoff, limit);
	}

	List<String> membersDisconnectedSince(Instant cutoff, int limit) {
		return this.disconnected.upTo(cutoff, limit);
	}

	List<String> withoutConnectedMembers(int limit) {
		return this.withoutConnected.upTo(Instant.MAX, limit);
	}

	/** Codes of every room last active after {@code after}, counted, not listed. */
	int countActiveAfter(Instant after) {
		return this.inactive.countAfter(after);
	}

	/**
	 * A page of the rooms last active in {@code (after, until]}, most recently active
	 * first, ties by code.
	 */
	List<String> mostRecentlyActive(Instant after, Instant until, int offset, int limit) {
		return this.inactive.mostRecentFirst(after, until, offset, limit);
	}

	private static Instant longestGoneMemberSince(Room room) {
		Instant earliest = null;
		for (Member member : room.members()) {
			if (!member.connected()) {
				Instant seen = member.lastSeenOrJoinedAt();
				if (earliest == null || seen.isBefore(earliest)) {
					earliest = seen;
				}
			}
		}
		return earliest;
	}

	private record Entry(Instant at, String code) {

		static final Comparator<Entry> ORDER = (a, b) -> {
			int byInstant = a.at.compareTo(b.at);
			return (byInstant != 0) ? byInstant : a.code.compareTo(b.code);
		};

	}

	/** One ordered index: a room is in it when its key is not {@code null}. */
	private static final class Index {

		/**
		 * The entries, as the keys of a map (a map can be built from sorted entries in
		 * one pass, a set cannot).
		 */
		private volatile ConcurrentSkipListMap<Entry, Boolean> map = new ConcurrentSkipListMap<>(Entry.ORDER);

		private final Function<Room, Instant> key;

		Index(Function<Room, Instant> key) {
			this.key = key;
		}

		void replace(Room previous, Room current) {
			Entry before = entryOf(previous);
			Entry after = entryOf(current);
			if (Objects.equals(before, after)) {
				return;
			}
			if (before != null) {
				this.map.remove(before);
			}
			if (after != null) {
				this.map.put(after, Boolean.TRUE);
			}
		}

		void fill(Collection<Room> rooms) {
			if (!this.map.isEmpty()) {
				throw new IllegalStateException("Only an empty index is filled");
			}
			List<Entry> sorted = new ArrayList<>(rooms.size());
			for (Room room : rooms) {
				Entry entry = entryOf(room);
				if (entry != null) {
					sorted.add(entry);
				}
			}
			sorted.sort(Entry.ORDER);
			this.map = new ConcurrentSkipListMap<>(new SortedKeys<>(sorted, Entry.ORDER));
		}

		private Entry entryOf(Room room) {
			if (room == null) {
				return null;
			}
			Instant at = this.key.apply(room);
			return (at != null) ? new Entry(at, room.code()) : null;
		}

		int countAfter(Instant after) {
			return after.equals(Instant.MAX) ? 0 : this.map.keySet().tailSet(lowest(after.plusNanos(1))).size();
		}

		/**
		 * Walks the range from its most recent entry: the index orders ties by code
		 * ascending, so the walk meets each group of one instant backwards and turns it
		 * round before counting it into the page.
		 */
		List<String> mostRecentFirst(Instant after, Instant until, int offset, int limit) {
			List<String> page = new ArrayList<>(Math.min(limit, 64));
			if (!after.isBefore(until)) {
				return page;
			}
			int[] skip = { offset };
			List<String> group = new ArrayList<>();
			Instant groupAt = null;
			NavigableSet<Entry> range = this.map.keySet().tailSet(lowest(after.plusNanos(1)), true);
			if (!until.equals(Instant.MAX)) {
				range = range.headSet(lowest(until.plusNanos(1)), false);
			}
			for (Entry entry : range.descendingSet()) {
				if (groupAt != null && !entry.at().equals(groupAt)) {
					addBackwards(group, skip, page, limit);
					group.clear();
					if (page.size() >= limit) {
						return page;
					}
				}
				groupAt = entry.at();
				group.add(entry.code());
			}
			addBackwards(group, skip, page, limit);
			return page;
		}

		private static void addBackwards(List<String> group, int[] skip, List<String> page, int limit) {
			for (int i = group.size() - 1; i >= 0 && page.size() < limit; i--) {
				if (skip[0] > 0) {
					skip[0]--;
				}
				else {
					page.add(group.get(i));
				}
			}
		}

		/** An entry before every entry of the instant: no code sorts before "". */
		private static Entry lowest(Instant at) {
			return new Entry(at, "");
		}

		List<String> upTo(Instant cutoff, int limit) {
			List<String> codes = new ArrayList<>(Math.min(limit, 64));
			for (Entry entry : this.map.keySet()) {
				if (codes.size() >= limit || entry.at().isAfter(cutoff)) {
					break;
				}
				codes.add(entry.code());
			}
			return codes;
		}

	}

	/**
	 * Sorted keys, each once, as a read-only sorted map to {@code TRUE}: what
	 * {@link ConcurrentSkipListMap#ConcurrentSkipListMap(SortedMap)} builds itself from
	 * in one pass, with no comparison.
	 */
	private static final class SortedKeys<K> extends AbstractMap<K, Boolean> implements SortedMap<K, Boolean> {

		private final List<K> sorted;

		private final Comparator<? super K> order;

		SortedKeys(List<K> sorted, Comparator<? super K> order) {
			this.sorted = sorted;
			this.order = order;
		}

		@Override
		public Comparator<? super K> comparator() {
			return this.order;
		}

		@Override
		public Set<Map.Entry<K, Boolean>> entrySet() {
			return new AbstractSet<>() {

				@Override
				public Iterator<Map.Entry<K, Boolean>> iterator() {
					Iterator<K> keys = SortedKeys.this.sorted.iterator();
					return new Iterator<>() {

						@Override
						public boolean hasNext() {
							return keys.hasNext();
						}

						@Override
						public Map.Entry<K, Boolean> next() {
							return Map.entry(keys.next(), Boolean.TRUE);
						}

					};
				}

				@Override
				public int size() {
					return SortedKeys.this.sorted.size();
				}

			};
		}

		@Override
		public SortedMap<K, Boolean> subMap(K from, K to) {
			int start = indexOf(from);
			return new SortedKeys<>(this.sorted.subList(start, Math.max(start, indexOf(to))), this.order);
		}

		@Override
		public SortedMap<K, Boolean> headMap(K to) {
			return new SortedKeys<>(this.sorted.subList(0, indexOf(to)), this.order);
		}

		@Override
		public SortedMap<K, Boolean> tailMap(K from) {
			return new SortedKeys<>(this.sorted.subList(indexOf(from), this.sorted.size()), this.order);
		}

		@Override
		public K firstKey() {
			if (this.sorted.isEmpty()) {
				throw new NoSuchElementException();
			}
			return this.sorted.get(0);
		}

		@Override
		public K lastKey() {
			if (this.sorted.isEmpty()) {
				throw new NoSuchElementException();
			}
			return this.sorted.get(this.sorted.size() - 1);
		}

		/** The index of the first key not before {@code key}. */
		private int indexOf(K key) {
			int found = Collections.binarySearch(this.sorted, key, this.order);
			return (found >= 0) ? found : -found - 1;
		}

	}

}
