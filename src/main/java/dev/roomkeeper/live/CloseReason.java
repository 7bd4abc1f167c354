package dev.roomkeeper.live;

import dev.roomkeeper.live.websocket.CloseCodes;

/**
 * Why the server closes a live connection: the WebSocket close code and reason the client
 * sees.
 *
 * @param code the close code
 * @param reason a short reason
 */
record CloseReason(int code, String reason) {

	static final CloseReason NORMAL = new CloseReason(CloseCodes.NORMAL, "");

	static final CloseReason ROOM_CLOSED = new CloseReason(CloseCodes.NORMAL, "Room closed");

	static final CloseReason MEMBER_REMOVED = new CloseReason(CloseCodes.NORMAL, "Member removed");

	static final CloseReason RESTARTING = new CloseReason(CloseCodes.SERVICE_RESTART, "Server restarting");

	static final CloseReason TOO_MANY = new CloseReason(CloseCodes.POLICY_VIOLATION,
			"Too many connections from this address");

	static final CloseReason NO_CONNECT = new CloseReason(CloseCodes.POLICY_VIOLATION, "No CONNECT frame");

	static final CloseReason NO_HEARTBEAT = new CloseReason(CloseCodes.POLICY_VIOLATION, "No heart-beat");

	static CloseReason policyViolation(String reason) {
		return new CloseReason(CloseCodes.POLICY_VIOLATION, reason);
	}

	static CloseReason protocolError(String reason) {
		return new CloseReason(CloseCodes.PROTOCOL_ERROR, reason);
	}

}
