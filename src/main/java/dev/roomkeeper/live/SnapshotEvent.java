package dev.roomkeeper.live;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.roomkeeper.room.RoomView;
import dev.roomkeeper.room.event.RoomEvent;

/**
 * The full room, sent to one member on its user queue; {@code seq} is the room's current
 * seq and {@code epoch} its history's (also in the view), which a client sends back to
 * resume.
 */
@JsonPropertyOrder({ "type", "room", "at", "seq", "epoch" })
public record SnapshotEvent(String room, Instant at, long seq, String epoch, RoomView snapshot) implements RoomEvent {

	@Override
	@JsonProperty("type")
	public String type() {
		return "snapshot";
	}

}
