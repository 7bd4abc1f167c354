package dev.roomkeeper.live.websocket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The server side of the RFC 6455 opening handshake: checks a request, then answers
 * {@code 101 Switching Protocols} and hands the socket to a
 * {@link WebSocketUpgradeHandler}.
 */
public final class WebSocketHandshake {

	private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	private WebSocketHandshake() {
	}

	/**
	 * What is wrong with a request as a WebSocket handshake, or null if nothing is.
	 * @return a status (400, 405 or 426) and a message for the client
	 */
	public static Refusal check(HttpServletRequest request) {
		if (!"GET".equals(request.getMethod())) {
			return new Refusal(405, "Open /ws with a WebSocket client (GET with Upgrade: websocket)");
		}
		if (!hasToken(request, "Upgrade", "websocket") || !hasToken(request, "Connection", "upgrade")) {
			return new Refusal(400, "This is a WebSocket endpoint: connect with Upgrade: websocket");
		}
		if (!"13".equals(trimmed(request.getHeader("Sec-WebSocket-Version")))) {
			return new Refusal(426, "Only WebSocket version 13 is supported");
		}
		String key = trimmed(request.getHeader("Sec-WebSocket-Key"));
		if (key == null || !isNonce(key)) {
			return new Refusal(400, "Sec-WebSocket-Key must be 16 bytes in base64");
		}
		return null;
	}

	/** The subprotocols a client offered, in its order of preference. */
	public static List<String> offeredSubprotocols(HttpServletRequest request) {
		List<String> offered = new ArrayList<>();
		for (String header : Collections.list(request.getHeaders("Sec-WebSocket-Protocol"))) {
			for (String token : header.split(",")) {
				if (!token.isBlank()) {
					offered.add(token.trim());
				}
			}
		}
		return offered;
	}

	/**
	 * Accepts a request that passed {@link #check}: answers {@code 101} and, once Tomcat
	 * has handed the socket over, creates the connection and its listener.
	 * @param subprotocol the subprotocol chosen from the client's offer, or null
	 */
	public static void accept(HttpServletRequest request, HttpServletResponse response, String subprotocol,
			Function<WebSocket, WebSocketListener> listeners, WebSocketOptions options)
			throws IOException, ServletException {
		response.setHeader("Upgrade", "websocket");
		response.setHeader("Connection", "Upgrade");
		response.setHeader("Sec-WebSocket-Accept", acceptKey(trimmed(request.getHeader("Sec-WebSocket-Key"))));
		if (subprotocol != null) {
			response.setHeader("Sec-WebSocket-Protocol", subprotocol);
		}
		WebSocketUpgradeHandler handler = request.upgrade(WebSocketUpgradeHandler.class);
		handler.prepare(listeners, options);
	}

	/** {@code Sec-WebSocket-Accept} for a key: base64(SHA-1(key + GUID)). */
	static String acceptKey(String key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1")
				.digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
			return Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is required of every Java platform", ex);
		}
	}

	private static boolean isNonce(String key) {
		try {
			return Base64.getDecoder().decode(key).length == 16;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static boolean hasToken(HttpServletRequest request, String header, String token) {
		for (String value : Collections.list(request.getHeaders(header))) {
			for (String part : value.split(",")) {
				if (part.trim().toLowerCase(Locale.ROOT).equals(token)) {
					return true;
				}
			}
		}
		return false;
	}

	private static String trimmed(String value) {
		return (value != null) ? value.trim() : null;
	}

	/**
	 * Why a request is not a WebSocket handshake.
	 *
	 * @param status the HTTP status to answer
	 * @param message what to tell the client
	 */
	public record Refusal(int status, String message) {
	}

}
