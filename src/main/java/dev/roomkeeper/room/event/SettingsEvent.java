package dev.roomkeeper.room.event;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The owner changed the room's settings. */
@JsonPropertyOrder({ "type", "room", "at", "seq" })
public record SettingsEvent(String room, Instant at, long seq, String name, boolean hasPassword, boolean locked,
		boolean listed, int maxMembers, tools.jackson.databind.node.ObjectNode settings) implements RoomTopicEvent {

	@Override
	@JsonProperty("type")
	public String type() {
		return "settings";
	}

}
