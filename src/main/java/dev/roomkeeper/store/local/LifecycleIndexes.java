package dev.roomkeeper.store.local;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Function;

import dev.roomkeeper.room.Member;
import dev.roomkeeper.room.Room;

/**
 * The ordered indexes behind the lifecycle queries of
 * {@link dev.roomkeeper.room.RoomRepository}: one concurrent skip list of
 * {@code (instant, code)} entries per query, so a query reads only the entries it
 * returns, and keeping one room up to date costs {@code O(log n)}.
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

		static final Comparator<Entry> ORDER = Comparator.comparing(Entry::at).thenComparing(Entry::code);

	}

	/** One ordered index: a room is in it when its key is not {@code null}. */
	private static final class Index {

		private final ConcurrentSkipListSet<Entry> entries = new ConcurrentSkipListSet<>(Entry.ORDER);

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
				this.entries.remove(before);
			}
			if (after != null) {
				this.entries.add(after);
			}
		}

		private Entry entryOf(Room room) {
			if (room == null) {
				return null;
			}
			Instant at = this.key.apply(room);
			return (at != null) ? new Entry(at, room.code()) : null;
		}

		List<String> upTo(Instant cutoff, int limit) {
			List<String> codes = new ArrayList<>(Math.min(limit, 64));
			for (Entry entry : this.entries) {
				if (codes.size() >= limit || entry.at().isAfter(cutoff)) {
					break;
				}
				codes.add(entry.code());
			}
			return codes;
		}

	}

}
