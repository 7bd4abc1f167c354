package dev.roomkeeper.store.redis;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import dev.roomkeeper.room.Member;
import dev.roomkeeper.room.Room;

/**
 * The names the Redis store uses, all under {@code rooms.store.redis.key-prefix}
 * ({@code P}):
 * <ul>
 * <li>{@code P room:CODE}: a hash per room: {@code room} (the room as JSON, the form of
 * the file store) and {@code rev} (a random revision, new on every write, that updates
 * compare and set);
 * <li>{@code P rooms}: a sorted set of every room code, all scored 0, so it is ordered by
 * code;
 * <li>the lifecycle indexes, sorted sets of room codes scored by an instant in
 * microseconds since the epoch (ties ordered by code): {@code P rooms:inactive} (every
 * room, by last activity), {@code P rooms:unwarned} (rooms not warned in their current
 * idle period, by last activity), {@code P rooms:disconnected} (rooms with a disconnected
 * member, by the earliest such member's last sighting) and {@code P rooms:unconnected}
 * (rooms without a connected member, by last activity);
 * <li>{@code P rooms:census}: a hash with {@code members}, the members of every room,
 * kept by the write script of each change (with {@code through} and {@code complete}
 * while a store written before the census existed is being counted);
 * <li>{@code P events}: the pub/sub channel that carries every room event to every
 * instance.
 * </ul>
 * A room and its index entries change together, in one script.
 */
final class RedisKeys {

	private final String prefix;

	private final Index rooms;

	private final Index inactive;

	private final Index unwarned;

	private final Index disconnected;

	private final Index unconnected;

	private final List<Index> indexes;

	RedisKeys(String prefix) {
		this.prefix = prefix;
		this.rooms = new Index(prefix + "rooms", (room) -> "0");
		this.inactive = new Index(prefix + "rooms:inactive", (room) -> micros(room.lastActivityAt()));
		this.unwarned = new Index(prefix + "rooms:unwarned",
				(room) -> (room.warnedAt() == null) ? micros(room.lastActivityAt()) : null);
		this.disconnected = new Index(prefix + "rooms:disconnected", RedisKeys::longestGoneMemberSince);
		this.unconnected = new Index(prefix + "rooms:unconnected",
				(room) -> (room.connectedCount() == 0) ? micros(room.lastActivityAt()) : null);
		this.indexes = List.of(this.rooms, this.inactive, this.unwarned, this.disconnected, this.unconnected);
	}

	String prefix() {
		return this.prefix;
	}

	String room(String code) {
		return roomPrefix() + code;
	}

	/** The room's history: a list of {@code seq json} entries, oldest first. */
	String history(String code) {
		return this.prefix + "history:" + code;
	}

	/** Every room code, scored 0 (ordered by code). */
	String rooms() {
		return this.rooms.key();
	}

	String inactive() {
		return this.inactive.key();
	}

	String unwarned() {
		return this.unwarned.key();
	}

	String disconnected() {
		return this.disconnected.key();
	}

	String unconnected() {
		return this.unconnected.key();
	}

	/** The census of members: see the class comment. */
	String census() {
		return this.prefix + "rooms:census";
	}

	/** The prefix of every room's hash: {@code room(code)} is this and the code. */
	String roomPrefix() {
		return this.prefix + "room:";
	}

	/** The channel of every room event. */
	String events() {
		return this.prefix + "events";
	}

	/** The sorted sets every room is kept in, updated with the room in one step. */
	List<Index> indexes() {
		return this.indexes;
	}

	/** An instant as an index score: microseconds since the epoch (exact in a double). */
	static String micros(Instant at) {
		return Long.toString(microsOf(at));
	}

	static long microsOf(Instant at) {
		return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
	}

	private static String longestGoneMemberSince(Room room) {
		Instant earliest = null;
		for (Member member : room.members()) {
			if (!member.connected()) {
				Instant seen = member.lastSeenOrJoinedAt();
				if (earliest == null || seen.isBefore(earliest)) {
					earliest = seen;
				}
			}
		}
		return (earliest != null) ? micros(earliest) : null;
	}

	/**
	 * A sorted set of room codes.
	 *
	 * @param key the sorted set's key
	 * @param score the room's score in it, or {@code null} if the room does not belong in
	 * it
	 */
	record Index(String key, Function<Room, String> score) {

		/**
		 * What the write script does with this index for a room that goes from
		 * {@code previous} (null if new) to {@code current}: a score to set, {@code ""}
		 * to remove the entry, {@code "="} to leave it.
		 */
		String change(Room previous, Room current) {
			String now = this.score.apply(current);
			String before = (previous != null) ? this.score.apply(previous) : null;
			if (now == null) {
				return (previous != null && before == null) ? "=" : "";
			}
			return now.equals(before) ? "=" : now;
		}

	}

}
