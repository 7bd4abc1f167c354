package dev.roomkeeper.room.event;

/**
 * Receives every room-topic event on this instance, in {@code seq} order per room,
 * exactly once. Implementations must not block: with the memory and file stores they run
 * while the room is held; with the Redis store they run on the one thread that hands out
 * the events of every instance, in the order Redis delivers them.
 */
@FunctionalInterface
public interface RoomEventListener {

	void onEvent(PublishedEvent event);

}
