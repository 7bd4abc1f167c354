package dev.roomkeeper.room.event;

import java.time.Instant;

import tools.jackson.databind.node.ObjectNode;

/**
 * The public form of a member: {@code {id, name, role, connected, joinedAt, lastSeenAt,
 * metadata, userId}} ({@code userId}: the {@code sub} of the join ticket, or
 * {@code null}).
 */
public record MemberView(String id, String name, MemberRole role, boolean connected, Instant joinedAt,
		Instant lastSeenAt, ObjectNode metadata, String userId) {

	/** A member who joined without a ticket. */
	public MemberView(String id, String name, MemberRole role, boolean connected, Instant joinedAt, Instant lastSeenAt,
			ObjectNode metadata) {
		this(id, name, role, connected, joinedAt, lastSeenAt, metadata, null);
	}

}
