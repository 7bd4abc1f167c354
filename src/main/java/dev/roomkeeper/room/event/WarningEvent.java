package dev.roomkeeper.room.event;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The room closes for inactivity at {@code closesAt} unless someone is active. */
@JsonPropertyOrder({ "type", "room", "at", "seq" })
public record WarningEvent(String room, Instant at, long seq, Instant closesAt,
		long secondsRemaining) implements RoomTopicEvent {

	@Override
	@JsonProperty("type")
	public String type() {
		return "warning";
	}

}
