package dev.roomkeeper.room.event;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The shared state changed: {@code patch} (a JSON merge patch) made {@code version};
 * {@code by} is the member id (or {@code owner} for the owner token).
 */
@JsonPropertyOrder({ "type", "room", "at", "seq" })
public record StateEvent(String room, Instant at, long seq, long version, tools.jackson.databind.node.ObjectNode patch,
		String by) implements RoomTopicEvent {

	@Override
	@JsonProperty("type")
	public String type() {
		return "state";
	}

}
