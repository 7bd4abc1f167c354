package dev.roomkeeper.room.event;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An event of the live API. Every event is a JSON object with {@code type}, {@code room}
 * (the code) and {@code at}; events on the room topic also carry {@code seq}, which grows
 * by exactly one per room event.
 */
public interface RoomEvent {

	@JsonProperty("type")
	String type();

	/** The room code. */
	String room();

	Instant at();

}
