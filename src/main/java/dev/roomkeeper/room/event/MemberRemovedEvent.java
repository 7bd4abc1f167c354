package dev.roomkeeper.room.event;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A member left ({@code left}), was kicked ({@code kicked}) or was gone too long
 * ({@code stale}).
 */
@JsonPropertyOrder({ "type", "room", "at", "seq" })
public record MemberRemovedEvent(String room, Instant at, long seq, String memberId,
		String reason) implements RoomTopicEvent {

	@Override
	@JsonProperty("type")
	public String type() {
		return "member-removed";
	}

}
