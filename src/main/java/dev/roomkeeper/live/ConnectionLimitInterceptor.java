package dev.roomkeeper.live;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Refuses the WebSocket handshake with {@code 429} when the client address already has
 * {@code rooms.limits.connections-per-address} open connections (and with {@code 503}
 * once shutdown has begun), and records the address (the connection's, or
 * {@code X-Forwarded-For} from a trusted proxy) for the connection.
 */
final class ConnectionLimitInterceptor implements HandshakeInterceptor {

	private final LiveConnectionRegistry registry;

	ConnectionLimitInterceptor(LiveConnectionRegistry registry) {
		this.registry = registry;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
			Map<String, Object> attributes) {
		if (!this.registry.acceptsConnections()) {
			response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
			return false;
		}
		String address = addressOf(request);
		if (!this.registry.allows(address)) {
			response.setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
			return false;
		}
		attributes.put(StompEndpoint.ADDRESS_ATTRIBUTE, address);
		return true;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
			Exception exception) {
	}

	private static String addressOf(ServerHttpRequest request) {
		if (request instanceof ServletServerHttpRequest servlet) {
			return servlet.getServletRequest().getRemoteAddr();
		}
		return (request.getRemoteAddress() != null) ? request.getRemoteAddress().getAddress().getHostAddress()
				: "unknown";
	}

}
