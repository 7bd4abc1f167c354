package dev.roomkeeper.live;

import java.time.Clock;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.roomkeeper.history.RoomHistoryService;
import dev.roomkeeper.room.PresenceTracker;
import dev.roomkeeper.room.RoomProperties;
import dev.roomkeeper.room.RoomService;

/**
 * The parts of the live API: Roomkeeper's own small STOMP 1.2 implementation on its own
 * WebSocket layer (see {@link LiveEndpointConfiguration} for {@code /ws}) rather than
 * Spring's message broker, so an event is serialised and encoded once and fanned out
 * without blocking.
 */
@Configuration(proxyBeanMethods = false)
class LiveConfiguration {

	/**
	 * What connections share. Presence is counted on this instance unless a
	 * {@link PresenceTracker} bean (e.g. one counting across instances) is provided.
	 */
	@Bean
	LiveContext liveContext(RoomService rooms, RoomChannels channels, ObjectProvider<PresenceTracker> presence,
			LiveConnectionRegistry registry, LiveMetrics metrics, JsonMapper jsonMapper, Clock clock,
			RoomProperties properties, RoomHistoryService history) {
		return new LiveContext(rooms, channels, presence.getIfAvailable(() -> new LocalPresenceTracker(rooms)),
				registry, metrics, jsonMapper, clock, LiveSettings.of(properties),
				new LiveRoomActions(rooms, jsonMapper), history);
	}

}
