package dev.roomkeeper.live;

import java.util.Arrays;

import dev.roomkeeper.room.BearerToken;
import dev.roomkeeper.system.ProblemCode;

/**
 * What a STOMP {@code CONNECT} (or {@code STOMP}) frame asks for: the member token
 * (header {@code token}, or {@code Authorization: Bearer}) and the client's heart-beats.
 * Only STOMP 1.2 is spoken.
 *
 * @param token the token presented
 * @param heartBeat the {@code heart-beat} header as sent (read by
 * {@link #clientHeartBeats()} once the token is known to be good)
 * @param ticket a join ticket (header {@code ticket}) to join or resume with, instead of
 * a token; {@code null} if none
 */
record ConnectRequest(String token, String heartBeat, String ticket) {

	/**
	 * Reads a CONNECT frame.
	 * @throws SessionFailure for another protocol version or no token
	 */
	static ConnectRequest of(StompFrame frame) {
		String versions = frame.header("accept-version");
		if (versions != null && !Arrays.asList(versions.replace(" ", "").split(",")).contains("1.2")) {
			throw new SessionFailure(ProblemCode.INVALID_REQUEST, "Supported protocol versions are 1.2");
		}
		String ticket = frame.header("ticket");
		if (ticket != null && !ticket.isBlank()) {
			return new ConnectRequest(null, frame.header("heart-beat"), ticket.trim());
		}
		String token = tokenOf(frame);
		if (token == null) {
			throw new SessionFailure(ProblemCode.UNAUTHORIZED,
					"A member token is required in the token header (or Authorization: Bearer), or a join ticket in the ticket header");
		}
		return new ConnectRequest(token, frame.header("heart-beat"), null);
	}

	/**
	 * The client's heart-beats in milliseconds: how often it will send them, how often it
	 * wants them (0: never).
	 * @throws SessionFailure for a malformed {@code heart-beat} header
	 */
	long[] clientHeartBeats() {
		return parseHeartBeat(this.heartBeat);
	}

	/**
	 * STOMP heart-beat negotiation: the larger of both wishes, or none if either is 0.
	 * @return the interval in nanoseconds, 0 for none
	 */
	static long negotiate(long serverMillis, long clientMillis) {
		return (serverMillis <= 0 || clientMillis <= 0) ? 0 : Math.max(serverMillis, clientMillis) * 1_000_000L;
	}

	private static String tokenOf(StompFrame frame) {
		String token = frame.header("token");
		if (token != null && !token.isBlank()) {
			return token.trim();
		}
		String authorization = frame.header("Authorization");
		return BearerToken.of((authorization != null) ? authorization : frame.header("authorization"));
	}

	private static long[] parseHeartBeat(String header) {
		if (header == null) {
			return new long[] { 0, 0 };
		}
		String[] parts = header.split(",");
		try {
			if (parts.length == 2) {
				long send = Long.parseLong(parts[0].trim());
				long receive = Long.parseLong(parts[1].trim());
				if (send >= 0 && receive >= 0) {
					return new long[] { send, receive };
				}
			}
		}
		catch (NumberFormatException ex) {
			// answered below
		}
		throw new SessionFailure(ProblemCode.INVALID_REQUEST, "heart-beat must be two non-negative numbers: cx,cy");
	}

}
