package dev.roomkeeper.room;

import dev.roomkeeper.room.event.MemberRole;

/**
 * Who a token belongs to in a room: a member (possibly with the owner role), or the
 * holder of the owner token who has not joined as a member.
 *
 * @param memberId the member's id, or {@code null} for the bare owner token
 * @param owner whether the caller may do what only the owner may
 */
public record Caller(String memberId, boolean owner) {

	/** The id recorded as the author of a change: the member id, or {@code owner}. */
	public String by() {
		return (this.memberId != null) ? this.memberId : "owner";
	}

	/** Finds who holds a token in a room. */
	public static java.util.Optional<Caller> of(Room room, String tokenHash) {
		if (tokenHash == null) {
			return java.util.Optional.empty();
		}
		if (Secrets.hashesEqual(room.ownerTokenHash(), tokenHash)) {
			return java.util.Optional.of(new Caller(null, true));
		}
		return room.memberByTokenHash(tokenHash)
			.map((member) -> new Caller(member.id(), member.role() == MemberRole.OWNER));
	}

}
