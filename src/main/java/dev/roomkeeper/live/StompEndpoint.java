package dev.roomkeeper.live;

import java.net.InetSocketAddress;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.SubProtocolCapable;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * The WebSocket handler of {@code /ws}: creates a {@link LiveConnection} per WebSocket
 * and hands it the parts of every message as they arrive (partial messages, so a large
 * frame is never buffered whole by the container).
 * <p>
 * It accepts the WebSocket subprotocols {@code v10.stomp}, {@code v11.stomp} and
 * {@code v12.stomp}: browsers fail a handshake that offered subprotocols (stomp.js always
 * does) unless the server picks one. The STOMP version itself is settled by
 * {@code CONNECT}'s {@code accept-version}.
 */
final class StompEndpoint implements WebSocketHandler, SubProtocolCapable {

	private static final List<String> SUBPROTOCOLS = List.of("v10.stomp", "v11.stomp", "v12.stomp");

	private static final Log log = LogFactory.getLog(StompEndpoint.class);

	/** Handshake attribute holding the client address (after trusted proxy headers). */
	static final String ADDRESS_ATTRIBUTE = StompEndpoint.class.getName() + ".address";

	private static final CloseStatus TOO_MANY = new CloseStatus(CloseStatus.POLICY_VIOLATION.getCode(),
			"Too many connections from this address");

	private final LiveContext context;

	StompEndpoint(LiveContext context) {
		this.context = context;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) throws Exception {
		String address = addressOf(session);
		LiveConnection connection = new LiveConnection(this.context, session, address);
		if (!this.context.registry().tryAdd(address, connection)) {
			session.close(TOO_MANY);
		}
	}

	@Override
	public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) {
		LiveConnection connection = this.context.registry().get(session.getId());
		if (connection == null) {
			return;
		}
		if (message instanceof TextMessage text) {
			connection.onText(text.getPayload(), text.isLast());
		}
		else if (message instanceof BinaryMessage binary) {
			connection.onBinary(binary.getPayload());
		}
		else if (message instanceof PongMessage) {
			connection.onPong();
		}
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		log.debug("Transport error on live connection " + session.getId() + ": " + exception.getMessage());
		LiveConnection connection = this.context.registry().get(session.getId());
		if (connection != null) {
			connection.close(CloseStatus.SERVER_ERROR);
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) {
		LiveConnection connection = this.context.registry().remove(session.getId());
		if (connection != null) {
			connection.closed();
		}
	}

	@Override
	public List<String> getSubProtocols() {
		return SUBPROTOCOLS;
	}

	@Override
	public boolean supportsPartialMessages() {
		return true;
	}

	private static String addressOf(WebSocketSession session) {
		Object address = session.getAttributes().get(ADDRESS_ATTRIBUTE);
		if (address instanceof String text) {
			return text;
		}
		InetSocketAddress remote = session.getRemoteAddress();
		return (remote != null) ? remote.getAddress().getHostAddress() : "unknown";
	}

}
