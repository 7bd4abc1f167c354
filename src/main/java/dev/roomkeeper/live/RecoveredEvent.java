package dev.roomkeeper.live;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.roomkeeper.room.event.RoomEvent;

/**
 * Sent on the user queue, instead of a {@code snapshot}, after the events a resuming
 * client missed: events {@code fromSeq} to {@code toSeq} ({@code count} of them, 0 when
 * nothing was missed) were sent on the room topic just before, and live events follow.
 *
 * @param room the room code
 * @param at when
 * @param fromSeq the client's {@code since-seq} + 1
 * @param toSeq the room's seq: the last recovered event's
 * @param count {@code toSeq - fromSeq + 1}
 */
@JsonPropertyOrder({ "type", "room", "at", "fromSeq", "toSeq", "count" })
public record RecoveredEvent(String room, Instant at, long fromSeq, long toSeq, int count) implements RoomEvent {

	@Override
	@JsonProperty("type")
	public String type() {
		return "recovered";
	}

}
