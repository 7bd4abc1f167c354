package dev.roomkeeper.room;

/**
 * Counts the open live connections of each member and tells the room when a member comes
 * (its first connection: {@code member-connected}) and goes (its last:
 * {@code member-disconnected}).
 * <p>
 * The default counts the connections of this instance; a multi-instance store replaces it
 * by providing a bean of this type that counts across instances. Calls for one member are
 * made in the order its connections open and close; implementations must keep the room's
 * events in that order too.
 */
public interface PresenceTracker {

	/** A connection acting for a member opened. */
	void opened(String code, String memberId);

	/** A connection acting for a member closed. */
	void closed(String code, String memberId);

}
