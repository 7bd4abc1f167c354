package dev.roomkeeper.store;

import java.nio.file.Path;
import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.roomkeeper.room.RoomProperties;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.store.file.JsonFileRoomRepository;
import dev.roomkeeper.store.memory.InMemoryRoomRepository;
import dev.roomkeeper.store.redis.RedisStoreConfiguration;

/**
 * Chooses the {@link RoomRepository} from {@code rooms.store.type}: {@code file} (the
 * default), {@code memory} or {@code redis} ({@link RedisStoreConfiguration}). Any other
 * value stops start-up with a message that names the property.
 */
@Configuration(proxyBeanMethods = false)
@Import(RedisStoreConfiguration.class)
public class StoreConfiguration {

	static final String TYPE = "rooms.store.type";

	@Bean
	static StoreTypeValidator storeTypeValidator() {
		return new StoreTypeValidator();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnProperty(name = TYPE, havingValue = "file", matchIfMissing = true)
	JsonFileRoomRepository jsonFileRoomRepository(RoomProperties properties, JsonMapper jsonMapper,
			RoomEventBus eventBus, Clock clock, ObjectProvider<MeterRegistry> meterRegistry) {
		return new JsonFileRoomRepository(Path.of(properties.getStore().getDir()),
				properties.getStore().getFlushInterval(), properties.getStore().getActivityFlushInterval(),
				properties.getStore().getCheckpointInterval(), jsonMapper, eventBus, clock,
				meterRegistry.getIfAvailable(() -> Metrics.globalRegistry), properties.getHistory().getSize());
	}

	@Bean
	@ConditionalOnProperty(name = TYPE, havingValue = "memory")
	InMemoryRoomRepository inMemoryRoomRepository(RoomProperties properties, RoomEventBus eventBus) {
		return new InMemoryRoomRepository(eventBus, properties.getHistory().getSize());
	}

}
