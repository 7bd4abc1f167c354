package dev.roomkeeper.room.event;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Someone joined the room. */
@JsonPropertyOrder({ "type", "room", "at", "seq" })
public record MemberJoinedEvent(String room, Instant at, long seq,
		dev.roomkeeper.room.event.MemberView member) implements RoomTopicEvent {

	@Override
	@JsonProperty("type")
	public String type() {
		return "member-joined";
	}

}
