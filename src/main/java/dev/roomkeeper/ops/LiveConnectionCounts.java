package dev.roomkeeper.ops;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import dev.roomkeeper.room.LiveConnections;

/**
 * The open live connections of this instance, from the live feature's
 * {@link LiveConnections} when it is there, zero when it is not.
 */
@Component
public class LiveConnectionCounts {

	private final ObjectProvider<LiveConnections> liveConnections;

	public LiveConnectionCounts(ObjectProvider<LiveConnections> liveConnections) {
		this.liveConnections = liveConnections;
	}

	/** Open connections on this instance. */
	public int total() {
		LiveConnections connections = this.liveConnections.getIfAvailable();
		return (connections != null) ? connections.total() : 0;
	}

	/** Open connections on this instance that act for members of the room. */
	public int inRoom(String code) {
		LiveConnections connections = this.liveConnections.getIfAvailable();
		return (connections != null) ? connections.inRoom(code) : 0;
	}

}
