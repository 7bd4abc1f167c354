package dev.roomkeeper.store;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.roomkeeper.room.PresenceTracker;
import dev.roomkeeper.room.RoomProperties;
import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.store.file.JsonFileRoomRepository;
import dev.roomkeeper.store.memory.InMemoryRoomRepository;
import dev.roomkeeper.store.redis.RedisRoomRepository;
import dev.roomkeeper.support.ExpectedErrorLogs;
import dev.roomkeeper.support.TestRedis;

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
	void typeWhenRedisThenRedisStoreWithTheKeyPrefix() {
		String prefix = TestRedis.uniquePrefix(StoreSelectionTests.class);
		this.runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withPropertyValues("rooms.store.type=redis", "spring.data.redis.url=" + TestRedis.url(),
					"rooms.store.redis.key-prefix=" + prefix)
			.run((context) -> {
				assertThat(context).hasSingleBean(RoomRepository.class);
				assertThat(context.getBean(RoomRepository.class)).isInstanceOf(RedisRoomRepository.class)
					.extracting((repository) -> ((RedisRoomRepository) repository).keyPrefix())
					.isEqualTo(prefix);
				assertThat(context).hasSingleBean(PresenceTracker.class);
			});
		LettuceConnectionFactory connectionFactory = TestRedis.connectionFactory();
		TestRedis.deleteKeys(connectionFactory, prefix);
		connectionFactory.destroy();
	}

	@Test
	@ExpectedErrorLogs(value = "org.springframework.context.annotation.AnnotationConfigApplicationContext",
			because = "the context fails to start on purpose")
	void typeWhenRedisAndRedisIsUnreachableThenStartupFailsNamingTheSetting() throws Exception {
		int port;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		this.runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withPropertyValues("rooms.store.type=redis", "spring.data.redis.url=redis://127.0.0.1:" + port)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Cannot reach Redis (spring.data.redis.url, or the REDIS_URL"));
	}

	@Test
	@ExpectedErrorLogs(value = "org.springframework.context.annotation.AnnotationConfigApplicationContext",
			because = "the context fails to start on purpose")
	void redisMessageDelayWhenNegativeOrLongerThanATenthOfASecondThenStartupFailsNamingTheProperty() {
		for (String delay : List.of("-1ms", "101ms")) {
			this.runner.withPropertyValues("rooms.store.type=memory", "rooms.store.redis.message-delay=" + delay)
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.hasStackTraceContaining("rooms.store.redis.message-delay must be between 0 and 100ms"));
		}
	}

	@Test
	@ExpectedErrorLogs(value = "org.springframework.context.annotation.AnnotationConfigApplicationContext",
			because = "the context fails to start on purpose")
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
