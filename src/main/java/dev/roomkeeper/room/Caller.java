package dev.roomkeeper.room;

import java.util.Optional;

import dev.roomkeeper.room.event.MemberRole;

/**
 * Who a token belongs to in a room: a member (possibly with the owner role), the holder
 * of the owner token who has not joined as a member, or the app's backend with a server
 * key ({@code rooms.server-keys}), which may do all the owner may and more.
 *
 * @param memberId the member's id, or {@code null} for the bare owner token and the
 * server
 * @param owner whether the caller may do what only the owner may
 * @param server whether the caller holds a server key
 */
public record Caller(String memberId, boolean owner, boolean server) {

	/** The app's backend, acting with a server key. */
	public static final Caller SERVER = new Caller(null, true, true);

	public Caller(String memberId, boolean owner) {
		this(memberId, owner, false);
	}

	/**
	 * The id recorded as the author of a change: the member id, {@code owner} or
	 * {@code server}.
	 */
	public String by() {
		if (this.server) {
			return "server";
		}
		return (this.memberId != null) ? this.memberId : "owner";
	}

	/** Finds who holds a token in a room. */
	public static Optional<Caller> of(Room room, String tokenHash) {
		if (tokenHash == null) {
			return Optional.empty();
		}
		if (Secrets.hashesEqual(room.ownerTokenHash(), tokenHash)) {
			return Optional.of(new Caller(null, true));
		}
		return room.memberByTokenHash(tokenHash)
			.map((member) -> new Caller(member.id(), member.role() == MemberRole.OWNER));
	}

}
