package dev.roomkeeper.room.event;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A SEND that failed, sent to its sender's user queue: {@code code} is one of the
 * contract's problem codes, {@code destination} the SEND's destination.
 */
@JsonPropertyOrder({ "type", "room", "at" })
public record ErrorEvent(String room, Instant at, String code, String message,
		String destination) implements RoomEvent {

	@Override
	@JsonProperty("type")
	public String type() {
		return "error";
	}

}
