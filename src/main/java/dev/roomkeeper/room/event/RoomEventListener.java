package dev.roomkeeper.room.event;

/**
 * Receives every room-topic event on this instance, in {@code seq} order per room,
 * exactly once. Implementations must not block: they run while the room is held.
 */
@FunctionalInterface
public interface RoomEventListener {

	void onEvent(PublishedEvent event);

}
