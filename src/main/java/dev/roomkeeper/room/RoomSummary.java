package dev.roomkeeper.room;

import java.time.Duration;
import java.time.Instant;

/**
 * What anyone may see of a room: {@code {code, name, hasPassword, locked, maxMembers,
 * memberCount, expiresAt}}.
 */
public record RoomSummary(String code, String name, boolean hasPassword, boolean locked, int maxMembers,
		int memberCount, Instant expiresAt) {

	public static RoomSummary of(Room room, Duration idleTimeout) {
		return new RoomSummary(room.code(), room.name(), room.hasPassword(), room.locked(), room.maxMembers(),
				room.members().size(), room.expiresAt(idleTimeout));
	}

}
