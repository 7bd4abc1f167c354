package dev.roomkeeper.room.event;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A broadcast from member {@code from}; not part of the room, kept only in its history.
 */
@JsonPropertyOrder({ "type", "room", "at", "seq" })
public record MessageEvent(String room, Instant at, long seq, String from,
		tools.jackson.databind.JsonNode data) implements RoomTopicEvent {

	@Override
	@JsonProperty("type")
	public String type() {
		return "message";
	}

}
