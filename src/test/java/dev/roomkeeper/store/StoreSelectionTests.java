package dev.roomkeeper.store;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.roomkeeper.room.RoomProperties;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.store.file.JsonFileRoomRepository;
import dev.roomkeeper.store.memory.InMemoryRoomRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code rooms.store.type} picks the store; an unknown value stops start-up naming the
 * property.
 */
class StoreSelectionTests {

	@TempDir
	Path dir;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
		.withUserConfiguration(Support.class, StoreConfiguration.class);

	@Test
	void typeWhenUnsetThenFileStore() {
		this.runner.withPropertyValues("rooms.store.dir=" + this.dir)
			.run((context) -> assertThat(context).hasSingleBean(RoomRepository.class)
				.getBean(RoomRepository.class)
				.isInstanceOf(JsonFileRoomRepository.class));
	}

	@Test
	void typeWhenMemoryThenMemoryStore() {
		this.runner.withPropertyValues("rooms.store.type=memory")
			.run((context) -> assertThat(context.getBean(RoomRepository.class))
				.isInstanceOf(InMemoryRoomRepository.class));
	}

	@Test
	void typeWhenUnknownThenStartupFailsNamingTheProperty() {
		this.runner.withPropertyValues("rooms.store.type=postgres")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("rooms.store.type")
				.hasMessageContaining("postgres"));
	}

	@Configuration(proxyBeanMethods = false)
	@org.springframework.boot.context.properties.EnableConfigurationProperties(RoomProperties.class)
	static class Support {

		@Bean
		RoomEventBus roomEventBus(tools.jackson.databind.json.JsonMapper jsonMapper) {
			return new RoomEventBus(jsonMapper);
		}

		@Bean
		java.time.Clock clock() {
			return java.time.Clock.systemUTC();
		}

	}

}
