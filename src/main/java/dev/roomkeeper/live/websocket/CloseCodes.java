package dev.roomkeeper.live.websocket;

/** The WebSocket close codes Roomkeeper sends (RFC 6455 section 7.4). */
public final class CloseCodes {

	/** The purpose of the connection was fulfilled. */
	public static final int NORMAL = 1000;

	/** The server is going down, or the connection is being cut for good. */
	public static final int GOING_AWAY = 1001;

	/** A frame broke the protocol. */
	public static final int PROTOCOL_ERROR = 1002;

	/** No status code was present (reported, never sent). */
	public static final int NO_STATUS = 1005;

	/** The connection ended without a close frame (reported, never sent). */
	public static final int ABNORMAL = 1006;

	/** A text message was not UTF-8. */
	public static final int INVALID_PAYLOAD = 1007;

	/** A rule was broken: no or a bad token, too slow, too many connections. */
	public static final int POLICY_VIOLATION = 1008;

	/** Something went wrong on the server. */
	public static final int SERVER_ERROR = 1011;

	/** The server is restarting: reconnect soon. */
	public static final int SERVICE_RESTART = 1012;

	private CloseCodes() {
	}

	/** Whether a peer may send this code in a close frame. */
	static boolean isValidReceived(int code) {
		return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
	}

}
