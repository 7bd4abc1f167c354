package dev.roomkeeper.live;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.room.RoomProperties;
import dev.roomkeeper.room.event.RoomEventBus;

import static org.assertj.core.api.Assertions.assertThat;

class LiveConnectionRegistryTests {

	@Test
	void stopRefusesConnectionsAndALaterStartTakesThemAgain() {
		JsonMapper json = JsonMapper.builder().build();
		LiveConnectionRegistry registry = new LiveConnectionRegistry(new RoomChannels(new RoomEventBus(json), json),
				new RoomProperties());
		registry.start();
		assertThat(registry.acceptsConnections()).isTrue();

		registry.stop();
		assertThat(registry.acceptsConnections()).isFalse();
		assertThat(registry.isRunning()).isFalse();

		registry.start();
		assertThat(registry.acceptsConnections()).isTrue();
		assertThat(registry.isRunning()).isTrue();
		registry.stop();
		registry.destroy();
	}

}
