package dev.roomkeeper.room;

import java.time.Instant;

import tools.jackson.databind.node.ObjectNode;

import dev.roomkeeper.room.event.MemberRole;
import dev.roomkeeper.room.event.MemberView;

/**
 * Someone who joined a room. Immutable; {@code tokenHash} is the SHA-256 of the member's
 * token, never the token itself.
 *
 * @param id stable id, kept across reconnections
 * @param name display name, unique in its room (case-insensitive)
 * @param role {@code owner} or {@code member}
 * @param tokenHash hash of the member token
 * @param connected whether the member has at least one open connection
 * @param joinedAt when the member joined
 * @param lastSeenAt when the member last connected, disconnected or acted
 * @param metadata free-form JSON (e.g. a cursor position)
 */
public record Member(String id, String name, MemberRole role, String tokenHash, boolean connected, Instant joinedAt,
		Instant lastSeenAt, ObjectNode metadata) {

	/**
	 * When the member was last seen: {@code lastSeenAt}, or {@code joinedAt} for a member
	 * stored without it. A disconnected member is stale once this is older than
	 * {@code rooms.presence.stale-after}.
	 */
	public Instant lastSeenOrJoinedAt() {
		return (this.lastSeenAt != null) ? this.lastSeenAt : this.joinedAt;
	}

	public Member withPresence(boolean connected, Instant lastSeenAt) {
		return new Member(this.id, this.name, this.role, this.tokenHash, connected, this.joinedAt, lastSeenAt,
				this.metadata);
	}

	public Member withMetadata(ObjectNode metadata) {
		return new Member(this.id, this.name, this.role, this.tokenHash, this.connected, this.joinedAt, this.lastSeenAt,
				metadata);
	}

	/** The public form of this member, as answers and events show it. */
	public MemberView view() {
		return new MemberView(this.id, this.name, this.role, this.connected, this.joinedAt, this.lastSeenAt,
				this.metadata);
	}

}
