package dev.roomkeeper.room.event;

import java.time.Instant;

import tools.jackson.databind.node.ObjectNode;

/**
 * The public form of a member: {@code {id, name, role, connected, joinedAt, lastSeenAt,
 * metadata}}.
 */
public record MemberView(String id, String name, MemberRole role, boolean connected, Instant joinedAt,
		Instant lastSeenAt, ObjectNode metadata) {

}
