package dev.roomkeeper.room.event;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A member replaced its metadata. */
@JsonPropertyOrder({ "type", "room", "at", "seq" })
public record PresenceEvent(String room, Instant at, long seq, String memberId,
		tools.jackson.databind.node.ObjectNode metadata) implements RoomTopicEvent {

	@Override
	@JsonProperty("type")
	public String type() {
		return "presence";
	}

}
