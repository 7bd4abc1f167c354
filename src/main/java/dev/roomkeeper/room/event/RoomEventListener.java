package dev.roomkeeper.room.event;

/**
 * Receives every room-topic event on this instance, in {@code seq} order per room,
 * exactly once. Implementations must not block: with the memory and file stores they run
 * while the room is held; with the Redis store they run on the Redis client's I/O thread
 * that reads the events of every instance, in the order Redis delivers them (a listener
 * that blocks there delays every event, and the answers of the commands that share that
 * thread).
 */
@FunctionalInterface
public interface RoomEventListener {

	void onEvent(PublishedEvent event);

}
