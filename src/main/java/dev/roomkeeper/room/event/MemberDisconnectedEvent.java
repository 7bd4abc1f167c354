package dev.roomkeeper.room.event;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A member closed its last connection. */
@JsonPropertyOrder({ "type", "room", "at", "seq" })
public record MemberDisconnectedEvent(String room, Instant at, long seq, String memberId,
		Instant lastSeenAt) implements RoomTopicEvent {

	@Override
	@JsonProperty("type")
	public String type() {
		return "member-disconnected";
	}

}
