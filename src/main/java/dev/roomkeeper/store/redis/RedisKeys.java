package dev.roomkeeper.store.redis;

import java.util.List;
import java.util.function.Function;

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
 * <li>{@code P events}: the pub/sub channel that carries every room event to every
 * instance.
 * </ul>
 */
final class RedisKeys {

	private final String prefix;

	private final List<Index> indexes;

	RedisKeys(String prefix) {
		this.prefix = prefix;
		this.indexes = List.of(new Index(rooms(), (room) -> "0"));
	}

	String prefix() {
		return this.prefix;
	}

	String room(String code) {
		return this.prefix + "room:" + code;
	}

	/** Every room code, scored 0 (ordered by code). */
	String rooms() {
		return this.prefix + "rooms";
	}

	/** The channel of every room event. */
	String events() {
		return this.prefix + "events";
	}

	/** The sorted sets every room is kept in, updated with the room in one step. */
	List<Index> indexes() {
		return this.indexes;
	}

	/**
	 * A sorted set of room codes.
	 *
	 * @param key the sorted set's key
	 * @param score the room's score in it, or {@code null} if the room does not belong in
	 * it
	 */
	record Index(String key, Function<Room, String> score) {

	}

}
