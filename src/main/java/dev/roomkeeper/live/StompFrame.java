package dev.roomkeeper.live;

import java.util.Map;

/**
 * One STOMP frame from a client.
 *
 * @param command the command, e.g. {@code SEND}
 * @param headers the headers, decoded; a repeated header keeps its first value (STOMP
 * 1.2)
 * @param body the body, empty if the frame had none or it was too large
 * @param bodyTooLarge whether the body was over the limit and was skipped
 */
record StompFrame(String command, Map<String, String> headers, byte[] body, boolean bodyTooLarge) {

	String header(String name) {
		return this.headers.get(name);
	}

}
