package dev.roomkeeper.room;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
 * @param userId the app's user id ({@code sub} of the join ticket), or {@code null} for a
 * member who joined without a ticket
 * @param ticketTokenHashes hashes of the tokens given by later tickets for the same user
 * (the first stays in {@code tokenHash}); each keeps working, the oldest are dropped past
 * {@value #MAX_TICKET_TOKENS}
 */
public record Member(String id, String name, MemberRole role, String tokenHash, boolean connected, Instant joinedAt,
		Instant lastSeenAt, ObjectNode metadata, String userId, List<String> ticketTokenHashes) {

	/** How many tokens of later tickets a member keeps besides its first. */
	public static final int MAX_TICKET_TOKENS = 16;

	public Member {
		ticketTokenHashes = (ticketTokenHashes != null) ? List.copyOf(ticketTokenHashes) : List.of();
	}

	/** A member who joined without a ticket. */
	public Member(String id, String name, MemberRole role, String tokenHash, boolean connected, Instant joinedAt,
			Instant lastSeenAt, ObjectNode metadata) {
		this(id, name, role, tokenHash, connected, joinedAt, lastSeenAt, metadata, null, List.of());
	}

	/** Whether a token with this hash is one of this member's (constant-time compare). */
	public boolean holdsTokenHash(String hash) {
		boolean held = Secrets.hashesEqual(this.tokenHash, hash);
		for (String other : this.ticketTokenHashes) {
			held |= Secrets.hashesEqual(other, hash);
		}
		return held;
	}

	/** A copy that also accepts the token with this hash (from a later ticket). */
	public Member withTicketToken(String hash) {
		List<String> hashes = new ArrayList<>(this.ticketTokenHashes);
		hashes.add(hash);
		while (hashes.size() > MAX_TICKET_TOKENS) {
			hashes.remove(0);
		}
		return new Member(this.id, this.name, this.role, this.tokenHash, this.connected, this.joinedAt, this.lastSeenAt,
				this.metadata, this.userId, hashes);
	}

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
				this.metadata, this.userId, this.ticketTokenHashes);
	}

	public Member withMetadata(ObjectNode metadata) {
		return new Member(this.id, this.name, this.role, this.tokenHash, this.connected, this.joinedAt, this.lastSeenAt,
				metadata, this.userId, this.ticketTokenHashes);
	}

	/** The public form of this member, as answers and events show it. */
	public MemberView view() {
		return new MemberView(this.id, this.name, this.role, this.connected, this.joinedAt, this.lastSeenAt,
				this.metadata, this.userId);
	}

}
