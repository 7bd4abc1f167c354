package dev.roomkeeper.room;

import java.time.Instant;
import java.util.List;

/**
 * What operations (the admin stats, the metrics, the activity chart) ask of a store, at a
 * cost that does not grow with the number of rooms: totals the store keeps up to date as
 * rooms are created, changed, deleted and loaded, and its index by last activity (the one
 * behind {@link RoomRepository#findInactiveSince}) read a page at a time.
 * <p>
 * Every store implements it on the repository bean itself, beside {@link RoomRepository}:
 * callers get the store, not a decorator in front of it, so rooms the decorator hides
 * (the webhook outbox's closed rooms, parked with a last activity far ahead) are among
 * the stored rooms here; a caller leaves them out by the range it asks for.
 * <p>
 * Answers are taken at one moment; a change that races a query may or may not be seen.
 */
public interface RoomActivity {

	/**
	 * Every stored room and the members of all of them, expired or not, as the store
	 * keeps them: no room is read. With Redis the totals are kept in Redis by the write
	 * script of each change, so every instance reads the same exact figures.
	 */
	Totals totals();

	/**
	 * The rooms whose last activity is at or before {@code cutoff} and their members (the
	 * rooms the sweeper closes next): reads those rooms and no others, so it costs in
	 * proportion to them.
	 * @param cutoff the latest last activity to include
	 */
	Totals totalsInactiveSince(Instant cutoff);

	/**
	 * How many rooms have a last activity after {@code after}; counts index entries
	 * without reading rooms, in proportion to the answer at most (Redis: {@code ZCOUNT}).
	 * @param after the instant the rooms were last active after (exclusive)
	 */
	int countActiveAfter(Instant after);

	/**
	 * One page of the rooms whose last activity is after {@code after} and at or before
	 * {@code until}, most recently active first, ties ordered by code: skips the first
	 * {@code offset} of that order and returns at most {@code limit}. Costs in proportion
	 * to {@code offset + limit}. Rooms are returned as stored; a room deleted between the
	 * index read and the room read is left out (the page is then shorter).
	 * @param after the exclusive lower bound of the last activity
	 * @param until the inclusive upper bound of the last activity
	 * @param offset how many rooms of the order to skip (0 or more)
	 * @param limit the most rooms to return (at least 1)
	 */
	List<Room> findMostRecentlyActive(Instant after, Instant until, int offset, int limit);

	/**
	 * Rooms and their members.
	 *
	 * @param rooms how many rooms
	 * @param members how many members they have together
	 */
	record Totals(long rooms, long members) {

		/** No rooms. */
		public static final Totals NONE = new Totals(0, 0);

	}

}
