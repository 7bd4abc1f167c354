package dev.roomkeeper.room;

import java.util.List;

import dev.roomkeeper.room.event.RoomTopicEvent;

/**
 * What a {@link RoomChange} decided: keep the room as it is, store a new version, or
 * delete it; the events to publish; and the result for the caller.
 *
 * @param room the new room, or {@code null} to keep or delete
 * @param delete whether to delete the room
 * @param events room-topic events to publish, in seq order
 * @param result the caller's result
 */
public record ChangeResult<R>(Room room, boolean delete, List<RoomTopicEvent> events, R result) {

	public ChangeResult {
		events = List.copyOf(events);
	}

	public static <R> ChangeResult<R> unchanged(R result) {
		return new ChangeResult<>(null, false, List.of(), result);
	}

	public static <R> ChangeResult<R> save(Room room, R result, RoomTopicEvent... events) {
		return new ChangeResult<>(room, false, List.of(events), result);
	}

	public static <R> ChangeResult<R> delete(R result, RoomTopicEvent... events) {
		return new ChangeResult<>(null, true, List.of(events), result);
	}

	public boolean changed() {
		return this.room != null || this.delete;
	}

}
