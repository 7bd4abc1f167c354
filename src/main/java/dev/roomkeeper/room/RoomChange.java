package dev.roomkeeper.room;

/**
 * A change to one room, computed from its current value. It must be free of side effects:
 * a store may call it again (Redis retries on a concurrent change).
 */
@FunctionalInterface
public interface RoomChange<R> {

	ChangeResult<R> apply(Room current);

}
