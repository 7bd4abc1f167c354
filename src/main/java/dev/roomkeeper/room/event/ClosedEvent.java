package dev.roomkeeper.room.event;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The room closed: {@code inactivity}, {@code owner}, {@code admin}, {@code evicted} or
 * {@code empty}.
 */
@JsonPropertyOrder({ "type", "room", "at", "seq" })
public record ClosedEvent(String room, Instant at, long seq, String reason) implements RoomTopicEvent {

	@Override
	@JsonProperty("type")
	public String type() {
		return "closed";
	}

}
