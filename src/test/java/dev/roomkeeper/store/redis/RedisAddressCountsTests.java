package dev.roomkeeper.store.redis;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.roomkeeper.room.AddressCounts;
import dev.roomkeeper.room.FailedLookupLimiter;
import dev.roomkeeper.room.RoomProperties;
import dev.roomkeeper.support.TestRedis;
import dev.roomkeeper.system.RoomkeeperException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Failed look-ups counted in Redis are shared by every instance: three instances allow
 * the limit once between them, not three times; the counter keys expire.
 */
class RedisAddressCountsTests {

	private static final String PREFIX = TestRedis.uniquePrefix(RedisAddressCountsTests.class);

	private static LettuceConnectionFactory connectionFactory;

	@BeforeAll
	static void connect() {
		connectionFactory = TestRedis.connectionFactory();
	}

	@AfterAll
	static void cleanUp() {
		if (connectionFactory != null) {
			TestRedis.deleteKeys(connectionFactory, PREFIX);
			connectionFactory.destroy();
		}
	}

	@Test
	void failedLookupsAreCountedAcrossInstances() {
		RoomProperties properties = new RoomProperties();
		properties.getLimits().setFailedJoinsPerMinute(6);
		Clock clock = Clock.fixed(Instant.parse("2026-01-01T10:00:30Z"), ZoneOffset.UTC);
		FailedLookupLimiter[] instances = new FailedLookupLimiter[3];
		for (int i = 0; i < instances.length; i++) {
			instances[i] = new FailedLookupLimiter(properties, clock,
					provider(new RedisAddressCounts(connectionFactory, PREFIX)));
		}
		for (int failure = 0; failure < 6; failure++) {
			FailedLookupLimiter instance = instances[failure % 3];
			assertThatNoException().isThrownBy(() -> instance.check("198.51.100.1"));
			instance.recordFailure("198.51.100.1");
		}

		for (FailedLookupLimiter instance : instances) {
			assertThatExceptionOfType(RoomkeeperException.class).isThrownBy(() -> instance.check("198.51.100.1"))
				.satisfies((ex) -> assertThat(ex.problem().code()).isEqualTo("rate-limited"))
				.satisfies((ex) -> assertThat(ex.retryAfter().toSeconds()).isEqualTo(30));
			assertThatNoException().isThrownBy(() -> instance.check("198.51.100.2"));
		}
	}

	@Test
	void counterKeysExpire() {
		RedisAddressCounts counts = new RedisAddressCounts(connectionFactory, PREFIX);
		assertThat(counts.increment("test", "2001:db8::1", 42)).isEqualTo(1);
		assertThat(counts.increment("test", "2001:db8::1", 42)).isEqualTo(2);
		assertThat(counts.count("test", "2001:db8::1", 42)).isEqualTo(2);
		assertThat(counts.count("test", "2001:db8::1", 43)).isZero();

		Long ttl = new org.springframework.data.redis.core.StringRedisTemplate(connectionFactory)
			.getExpire(counts.key("test", "2001:db8::1", 42));
		assertThat(ttl).isBetween(1L, 120L);
	}

	private static ObjectProvider<AddressCounts> provider(AddressCounts counts) {
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("counts", counts);
		return beans.getBeanProvider(AddressCounts.class);
	}

}
