package dev.roomkeeper.live;

import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.roomkeeper.room.PresenceTracker;
import dev.roomkeeper.room.RoomService;

/**
 * Counts members' connections on this instance. The room is told inside the count's
 * update, so a member's last close and next open (a quick reconnect) reach the room in
 * that order: {@code member-disconnected} then {@code member-connected}.
 */
final class LocalPresenceTracker implements PresenceTracker {

	private static final Log log = LogFactory.getLog(LocalPresenceTracker.class);

	private final ConcurrentHashMap<String, Integer> connections = new ConcurrentHashMap<>();

	private final RoomService rooms;

	LocalPresenceTracker(RoomService rooms) {
		this.rooms = rooms;
	}

	@Override
	public void opened(String code, String memberId) {
		this.connections.compute(key(code, memberId), (key, count) -> {
			if (count == null) {
				tell(() -> this.rooms.memberConnected(code, memberId), code);
				return 1;
			}
			return count + 1;
		});
	}

	@Override
	public void closed(String code, String memberId) {
		this.connections.computeIfPresent(key(code, memberId), (key, count) -> {
			if (count == 1) {
				tell(() -> this.rooms.memberDisconnected(code, memberId), code);
				return null;
			}
			return count - 1;
		});
	}

	private static void tell(Runnable change, String code) {
		try {
			change.run();
		}
		catch (RuntimeException ex) {
			log.warn("Could not record presence in room " + code + ": " + ex.getMessage());
		}
	}

	private static String key(String code, String memberId) {
		return code + "/" + memberId;
	}

}
