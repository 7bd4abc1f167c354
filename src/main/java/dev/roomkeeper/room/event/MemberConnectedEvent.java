package dev.roomkeeper.room.event;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A member opened its first connection. */
@JsonPropertyOrder({ "type", "room", "at", "seq" })
public record MemberConnectedEvent(String room, Instant at, long seq, String memberId) implements RoomTopicEvent {

	@Override
	@JsonProperty("type")
	public String type() {
		return "member-connected";
	}

}
