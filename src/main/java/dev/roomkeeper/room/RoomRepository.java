package dev.roomkeeper.room;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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
 * <p>
 * <b>Lifecycle indexes.</b> The {@code find...Since} and
 * {@link #findWithoutConnectedMembers} queries let the sweeper and eviction find the few
 * rooms that are due without reading every room: they must cost in proportion to the
 * codes they return (a store keeps an ordered index up to date on every create, update,
 * delete and load, e.g. a sorted set per query in Redis scored by the instant), never a
 * scan of all rooms. Their answers are hints taken at one moment: a room may change or
 * disappear before the caller acts, so callers re-check it inside {@link #update}. Ties
 * on the instant are ordered by code.
 */
public interface RoomRepository {

	/**
	 * The name of the timer of store writes that every store records; stores that write
	 * in batches record one per batch.
	 */
	String WRITE_TIMER = "roomkeeper.store.write";

	/**
	 * Adds a room unless its code is taken; durable on return.
	 * @return {@code false} (and nothing changes) if a room with this code exists
	 */
	boolean create(Room room);

	/** The room with this upper-case code, or empty if there is none. */
	Optional<Room> find(String code);

	/**
	 * The room with every event of its {@link RoomHistory} that the store holds, read in
	 * one atomic step (the events end at the room's {@code seq} unless some were lost).
	 * Stores that keep the events with the room (memory, file) answer {@link #find}; the
	 * Redis store reads its history list with the room. Every store appends the events of
	 * each {@link #update} to the room's history in the same atomic step as the change,
	 * keeping the last {@code rooms.history.size}.
	 */
	default Optional<Room> findWithHistory(String code) {
		return find(code);
	}

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

	/**
	 * {@link #update}, for a caller that need not wait until the change is stored: the
	 * store may return before it is, and completes the stage with the result (or with
	 * what {@code update} would have thrown) once it is. Changes to one room are still
	 * applied one at a time, in the order they were asked for on this instance. The
	 * thread that asked is not held for a round trip to the store (the Redis store); by
	 * default the change is applied at once, as {@code update} does.
	 */
	default <R> CompletionStage<Optional<R>> updateInBackground(String code, RoomChange<R> change,
			Durability durability) {
		try {
			return CompletableFuture.completedFuture(update(code, change, durability));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

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

	/**
	 * Codes of rooms whose last activity ({@link Room#lastActivityAt()}) is at or before
	 * {@code cutoff}, least recently active first, at most {@code limit}. The sweeper
	 * closes these for inactivity; eviction closes them first.
	 * @param cutoff the latest last activity to include
	 * @param limit the most codes to return (at least 1)
	 */
	List<String> findInactiveSince(Instant cutoff, int limit);

	/**
	 * Like {@link #findInactiveSince}, but only rooms that have not been warned in their
	 * current idle period ({@link Room#warnedAt()} is {@code null}): the rooms due for a
	 * closing-soon {@code warning}. A room leaves this index when it is warned and comes
	 * back with its next activity.
	 * @param cutoff the latest last activity to include
	 * @param limit the most codes to return (at least 1)
	 */
	List<String> findUnwarnedInactiveSince(Instant cutoff, int limit);

	/**
	 * Codes of rooms that have at least one disconnected member
	 * ({@link Member#connected()} false) whose {@link Member#lastSeenAt()} is at or
	 * before {@code cutoff}, ordered by the earliest such {@code lastSeenAt} (the room's
	 * longest-gone member), at most {@code limit}. The sweeper removes these members as
	 * stale. A member without {@code lastSeenAt} counts from its {@code joinedAt}.
	 * @param cutoff the latest {@code lastSeenAt} to include
	 * @param limit the most codes to return (at least 1)
	 */
	List<String> findWithMembersDisconnectedSince(Instant cutoff, int limit);

	/**
	 * Codes of rooms in which no member is connected (rooms without members included),
	 * least recently active first, at most {@code limit}: the candidates for eviction
	 * when {@code rooms.max-rooms} is reached.
	 * @param limit the most codes to return (at least 1)
	 */
	List<String> findWithoutConnectedMembers(int limit);

	/** Stores every deferred change now; returns when they are stored. */
	void flush();

	/**
	 * Stores the deferred changes of these rooms made so far and returns when they are
	 * stored: at once when none is waiting (other rooms' changes may be stored along).
	 * Cheap enough to call many times a second (the webhook delivery calls it before
	 * sending what rooms' changes raised), where {@link #flush()} stores every room's
	 * changes and may also tidy the storage (the file store then writes its room files).
	 * By default {@link #flush()}.
	 * @param codes the rooms' codes (a room that does not exist has nothing to store)
	 */
	default void flushChanges(Collection<String> codes) {
		flush();
	}

	/**
	 * Whether every change of room {@code code} made so far is stored (none waits for
	 * {@link #flushChanges}); answers at once. By default {@code true}: a store without
	 * deferred changes (memory, Redis) has nothing waiting.
	 */
	default boolean changesStored(String code) {
		return true;
	}

	/**
	 * A short name of the store for stats and health: {@code memory}, {@code file} or
	 * {@code redis}.
	 */
	String type();

}
