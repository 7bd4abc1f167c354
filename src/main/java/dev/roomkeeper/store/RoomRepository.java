package dev.roomkeeper.store;

import java.util.List;
import java.util.Optional;

import dev.roomkeeper.room.Room;

/**
 * Where rooms live: the storage contract every store implements (memory, JSON files,
 * Redis), chosen by {@code rooms.store.type}.
 * <p>
 * <b>Atomicity.</b> {@link #update} is a read-modify-write that is serialised per room:
 * two updates of the same room never interleave, updates of different rooms never wait
 * for each other. <b>Events.</b> The room-topic events a change returns are published to
 * the instance's {@link dev.roomkeeper.room.event.RoomEventBus} (and, with Redis, to
 * every instance) exactly once, in {@code seq} order, before {@code update} returns.
 * <b>Durability.</b> With {@link Durability#DURABLE} the change is on disk (or in Redis)
 * when the call returns; with {@link Durability#DEFERRED} it is stored within
 * {@code rooms.store.flush-interval}, and {@link #flush()} stores everything pending. The
 * memory store keeps nothing across restarts.
 * <p>
 * Repositories return rooms as stored, expired or not: expiry is the service's business.
 */
public interface RoomRepository {

	/**
	 * Adds a room unless its code is taken; durable on return.
	 * @return {@code false} (and nothing changes) if a room with this code exists
	 */
	boolean create(Room room);

	/** The room with this upper-case code, or empty if there is none. */
	Optional<Room> find(String code);

	/**
	 * Applies a change to a room atomically. Does nothing and returns empty if the room
	 * is not found. An exception thrown by the change leaves the room as it was and is
	 * rethrown.
	 * @param code the upper-case room code
	 * @param change computes the new room (or its deletion) and the result from the
	 * current room
	 * @param durability whether to wait until the change is stored
	 * @return the change's result, or empty if there is no such room
	 */
	<R> Optional<R> update(String code, RoomChange<R> change, Durability durability);

	/** A snapshot of every stored room, in no particular order. */
	List<Room> findAll();

	/**
	 * One page of a walk over every stored room in code order, so that callers (the admin
	 * export, stats, metrics) can visit all rooms without holding them all at once.
	 * <p>
	 * Returns up to {@code limit} rooms whose codes sort after {@code afterCode}
	 * (lexicographically, as upper-case strings), in ascending code order; with
	 * {@code afterCode == null} the walk starts at the first code. The next page starts
	 * after the last code of this one. A page may hold fewer than {@code limit} rooms
	 * while more follow (rooms deleted meanwhile); only an empty page ends the walk. A
	 * walk sees every room that exists for its whole duration exactly once; a room
	 * created or deleted during the walk may or may not be seen. Rooms are returned as
	 * stored, expired or not.
	 * @param afterCode the last code of the previous page, or {@code null} for the first
	 * page
	 * @param limit the most rooms to return, at least 1
	 * @return the page, never {@code null}
	 */
	List<Room> findPage(String afterCode, int limit);

	/** The number of stored rooms. */
	int count();

	/** Stores every deferred change now; returns when they are stored. */
	void flush();

	/**
	 * A short name of the store for stats and health: {@code memory}, {@code file} or
	 * {@code redis}.
	 */
	String type();

}
