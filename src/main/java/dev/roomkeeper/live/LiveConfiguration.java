package dev.roomkeeper.live;

import java.time.Clock;

import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.ServletContextAware;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

import dev.roomkeeper.room.RoomProperties;
import dev.roomkeeper.room.RoomService;

/**
 * The live API: STOMP 1.2 over plain WebSocket at {@code /ws} (no SockJS), served by
 * Roomkeeper's own small STOMP implementation rather than Spring's message broker, so an
 * event is serialised once and fanned out without blocking.
 * <p>
 * The handshake is refused for an {@code Origin} that is neither the server's own nor in
 * {@code rooms.allowed-origins} (requests without {@code Origin}, i.e. non-browser
 * clients, are allowed), and for an address at
 * {@code rooms.limits.connections-per-address}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class LiveConfiguration implements WebSocketConfigurer {

	/**
	 * Per-connection receive buffers of the container. Messages are read in parts, so
	 * small buffers do not limit message size; they only save memory per connection.
	 */
	static final int TEXT_BUFFER_CHARS = 4096;

	static final int BINARY_BUFFER_BYTES = 2048;

	private final RoomProperties properties;

	private final StompEndpoint endpoint;

	private final ConnectionLimitInterceptor connectionLimit;

	LiveConfiguration(RoomProperties properties, StompEndpoint endpoint, ConnectionLimitInterceptor connectionLimit) {
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

	@Bean
	static StompEndpoint stompEndpoint(LiveContext context) {
		return new StompEndpoint(context);
	}

	@Bean
	static ConnectionLimitInterceptor connectionLimitInterceptor(LiveConnectionRegistry registry) {
		return new ConnectionLimitInterceptor(registry);
	}

	@Bean
	static LiveContext liveContext(RoomService rooms, RoomChannels channels, PresenceTracker presence,
			LiveConnectionRegistry registry, LiveMetrics metrics, JsonMapper jsonMapper, Clock clock,
			RoomProperties properties) {
		return new LiveContext(rooms, channels, presence, registry, metrics, jsonMapper, clock,
				LiveSettings.of(properties));
	}

	@Bean
	@ConditionalOnMissingBean(PresenceTracker.class)
	static LocalPresenceTracker localPresenceTracker(RoomService rooms) {
		return new LocalPresenceTracker(rooms);
	}

	@Bean
	static WebSocketContainerTuning webSocketContainerTuning(RoomProperties properties) {
		return new WebSocketContainerTuning(properties.getLimits().getSendTimeLimit().toMillis());
	}

	/**
	 * Sets the servlet container's WebSocket defaults when there is a container (not in
	 * mock-servlet tests): small receive buffers and the send time limit.
	 */
	static final class WebSocketContainerTuning implements ServletContextAware {

		private final long sendTimeLimitMillis;

		WebSocketContainerTuning(long sendTimeLimitMillis) {
			this.sendTimeLimitMillis = sendTimeLimitMillis;
		}

		@Override
		public void setServletContext(ServletContext servletContext) {
			if (servletContext.getAttribute(ServerContainer.class.getName()) instanceof ServerContainer container) {
				container.setDefaultMaxTextMessageBufferSize(TEXT_BUFFER_CHARS);
				container.setDefaultMaxBinaryMessageBufferSize(BINARY_BUFFER_BYTES);
				container.setAsyncSendTimeout(this.sendTimeLimitMillis);
			}
		}

	}

}
