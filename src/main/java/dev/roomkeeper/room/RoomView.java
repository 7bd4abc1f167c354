package dev.roomkeeper.room;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import tools.jackson.databind.node.ObjectNode;

import dev.roomkeeper.room.event.MemberView;

/**
 * The full view of a room, for its members, owner and the server ({@code joinPolicy} and
 * {@code permissions} included); {@code epoch} names the room's history
 * ({@link RoomHistory}).
 */
public record RoomView(String code, String name, boolean hasPassword, boolean locked, boolean listed, int maxMembers,
		int memberCount, long connectedCount, List<MemberView> members, ObjectNode settings, ObjectNode state,
		long version, long seq, String epoch, Instant createdAt, Instant lastActivityAt, Instant expiresAt,
		String joinPolicy, RoomAccess.Permissions permissions) {

	public static RoomView of(Room room, Duration idleTimeout) {
		return new RoomView(room.code(), room.name(), room.hasPassword(), room.locked(), room.listed(),
				room.maxMembers(), room.members().size(), room.connectedCount(),
				room.members().stream().map(Member::view).toList(), room.settings(), room.state(), room.version(),
				room.seq(), room.epoch(), room.createdAt(), room.lastActivityAt(), room.expiresAt(idleTimeout),
				room.access().joinPolicy(), room.access().permissions());
	}

}
