package dev.roomkeeper.store.redis;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.roomkeeper.room.RoomProperties;
import dev.roomkeeper.room.RoomService;
import dev.roomkeeper.room.event.RoomEventBus;

/**
 * The Redis store, when {@code rooms.store.type=redis}: the repository, its health, and
 * client settings that suit a store shared by several instances. Spring Boot's Redis
 * auto-configuration provides the connection (from {@code spring.data.redis.url}, which
 * {@code REDIS_URL} sets); with any other store type it is not even loaded
 * ({@link RedisAutoConfigurationFilter}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "rooms.store.type", havingValue = "redis")
public class RedisStoreConfiguration {

	/**
	 * The bean name that makes the {@code store} component of {@code /actuator/health}.
	 */
	static final String HEALTH_BEAN_NAME = "storeHealthIndicator";

	@Bean(destroyMethod = "close")
	RedisRoomRepository redisRoomRepository(RedisConnectionFactory connectionFactory, RoomProperties properties,
			JsonMapper jsonMapper, RoomEventBus eventBus, ObjectProvider<MeterRegistry> meterRegistry) {
		return new RedisRoomRepository(connectionFactory, properties.getStore().getRedis().getKeyPrefix(), jsonMapper,
				eventBus, meterRegistry.getIfAvailable(() -> Metrics.globalRegistry), properties.getHistory().getSize(),
				properties.getStore().getRedis().getMessageDelay());
	}

	/**
	 * Presence counted across instances, in place of the live API's count of this
	 * instance's connections.
	 */
	@Bean(destroyMethod = "close")
	RedisPresence redisPresence(RedisConnectionFactory connectionFactory, RoomProperties properties,
			ObjectProvider<RoomService> rooms) {
		return new RedisPresence(connectionFactory, properties.getStore().getRedis().getKeyPrefix(),
				RedisPresence.heartbeatTtlFor(properties.getPresence().getStaleAfter()), new RedisPresence.Changes() {

					@Override
					public void connected(String code, String memberId) {
						rooms.getObject().memberConnected(code, memberId);
					}

					@Override
					public void disconnected(String code, String memberId) {
						rooms.getObject().memberDisconnected(code, memberId);
					}

				});
	}

	/**
	 * Per-address limits (failed look-ups, QR images) counted across instances, so N
	 * instances do not allow N times the limit.
	 */
	@Bean
	RedisAddressCounts redisAddressCounts(RedisConnectionFactory connectionFactory, RoomProperties properties) {
		return new RedisAddressCounts(connectionFactory, properties.getStore().getRedis().getKeyPrefix());
	}

	@Bean(HEALTH_BEAN_NAME)
	RedisStoreHealthIndicator storeHealthIndicator(RedisRoomRepository repository) {
		return new RedisStoreHealthIndicator(repository);
	}

	/**
	 * While Redis is unreachable, fail commands at once (the API answers 503
	 * {@code store-unavailable}) rather than queue them until the command timeout.
	 */
	@Bean
	LettuceClientOptionsBuilderCustomizer roomkeeperRedisClientOptions() {
		return (options) -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
	}

	/**
	 * Reconnect within a second of Redis coming back (Lettuce's default waits up to 30
	 * s).
	 */
	@Bean
	ClientResourcesBuilderCustomizer roomkeeperRedisReconnectDelay() {
		return (resources) -> resources
			.reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS));
	}

}
