package dev.roomkeeper.store.redis;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/** Which of Spring Boot's Redis auto-configurations load, by store. */
class RedisAutoConfigurationFilterTests {

	private static final String[] CANDIDATES = {
			"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.observation.LettuceObservationAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration",
			"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration" };

	@Test
	void redisStoreLoadsTheConnectionButNeitherItsCommandObservationNorBootsHealth() {
		assertThat(matches("redis")).containsExactly(true, false, false, true);
	}

	@Test
	void otherStoresLoadNothingOfRedis() {
		assertThat(matches("file")).containsExactly(false, false, false, true);
	}

	private static boolean[] matches(String store) {
		RedisAutoConfigurationFilter filter = new RedisAutoConfigurationFilter();
		filter.setEnvironment(new MockEnvironment().withProperty("rooms.store.type", store));
		return filter.match(CANDIDATES, null);
	}

}
