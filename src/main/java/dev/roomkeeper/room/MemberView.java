package dev.roomkeeper.room;

import java.time.Instant;

import tools.jackson.databind.node.ObjectNode;

/**
 * The public form of a member: {@code {id, name, role, connected, joinedAt, lastSeenAt,
 * metadata}}.
 */
public record MemberView(String id, String name, MemberRole role, boolean connected, Instant joinedAt,
		Instant lastSeenAt, ObjectNode metadata) {

	public static MemberView of(Member member) {
		return new MemberView(member.id(), member.name(), member.role(), member.connected(), member.joinedAt(),
				member.lastSeenAt(), member.metadata());
	}

}
