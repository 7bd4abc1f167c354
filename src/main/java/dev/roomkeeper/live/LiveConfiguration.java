package dev.roomkeeper.live;

import java.time.Clock;

import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.ServletContextAware;

import dev.roomkeeper.room.RoomProperties;
import dev.roomkeeper.room.RoomService;

/**
 * The parts of the live API: Roomkeeper's own small STOMP 1.2 implementation on a plain
 * WebSocket handler (see {@link LiveEndpointConfiguration} for {@code /ws}) rather than
 * Spring's message broker, so an event is serialised once and fanned out without
 * blocking.
 */
@Configuration(proxyBeanMethods = false)
class LiveConfiguration {

	/**
	 * Per-connection receive buffers of the container. Messages are read in parts, so
	 * small buffers do not limit message size; they only save memory per connection.
	 */
	static final int TEXT_BUFFER_CHARS = 4096;

	static final int BINARY_BUFFER_BYTES = 2048;

	@Bean
	StompEndpoint stompEndpoint(LiveContext context) {
		return new StompEndpoint(context);
	}

	@Bean
	ConnectionLimitInterceptor connectionLimitInterceptor(LiveConnectionRegistry registry) {
		return new ConnectionLimitInterceptor(registry);
	}

	/**
	 * What connections share. Presence is counted on this instance unless a
	 * {@link PresenceTracker} bean (e.g. one counting across instances) is provided.
	 */
	@Bean
	LiveContext liveContext(RoomService rooms, RoomChannels channels, ObjectProvider<PresenceTracker> presence,
			LiveConnectionRegistry registry, LiveMetrics metrics, JsonMapper jsonMapper, Clock clock,
			RoomProperties properties) {
		return new LiveContext(rooms, channels, presence.getIfAvailable(() -> new LocalPresenceTracker(rooms)),
				registry, metrics, jsonMapper, clock, LiveSettings.of(properties));
	}

	@Bean
	WebSocketContainerTuning webSocketContainerTuning(RoomProperties properties) {
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
