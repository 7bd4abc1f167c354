package dev.roomkeeper.live;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

import dev.roomkeeper.room.RoomProperties;

/**
 * STOMP 1.2 over plain WebSocket at {@code /ws} (no SockJS). The handshake is refused for
 * an {@code Origin} that is neither the server's own nor allowed by
 * {@code rooms.allowed-origins} (requests without {@code Origin}, i.e. non-browser
 * clients, are allowed), for an address at {@code rooms.limits.connections-per-address},
 * and once shutdown has begun.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class LiveEndpointConfiguration implements WebSocketConfigurer {

	private final RoomProperties properties;

	private final StompEndpoint endpoint;

	private final ConnectionLimitInterceptor connectionLimit;

	LiveEndpointConfiguration(RoomProperties properties, StompEndpoint endpoint,
			ConnectionLimitInterceptor connectionLimit) {
		this.properties = properties;
		this.endpoint = endpoint;
		this.connectionLimit = connectionLimit;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		registry.addHandler(this.endpoint, "/ws")
			.addInterceptors(this.connectionLimit)
			.setAllowedOriginPatterns(this.properties.getAllowedOrigins().toArray(String[]::new));
	}

}
