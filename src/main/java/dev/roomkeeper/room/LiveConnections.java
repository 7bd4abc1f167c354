package dev.roomkeeper.room;

/**
 * Counts of open live (WebSocket) connections on this instance, for stats and metrics.
 * The live feature provides the bean; consumers ask for it with {@code ObjectProvider}
 * and count zero when it is absent.
 */
public interface LiveConnections {

	/** Open connections on this instance. */
	int total();

	/** Open connections on this instance that act for members of a room. */
	int inRoom(String code);

}
