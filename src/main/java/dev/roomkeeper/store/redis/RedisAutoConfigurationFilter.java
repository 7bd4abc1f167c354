package dev.roomkeeper.store.redis;

import java.util.Set;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Loads Spring Boot's Redis auto-configuration only when {@code rooms.store.type=redis}:
 * with the file or memory store the server opens no Redis connection and its health shows
 * no Redis. Boot's own Redis health indicator is never loaded (the store's health,
 * {@link RedisStoreHealthIndicator}, covers Redis), nor are the reactive template and
 * Redis repositories, which Roomkeeper does not use, nor the observation of every Lettuce
 * command (an observation per script call and per published event cost a few percent of a
 * server's CPU on the broadcast path; the store times its writes itself:
 * {@code roomkeeper.store.write}).
 */
class RedisAutoConfigurationFilter implements AutoConfigurationImportFilter, EnvironmentAware {

	private static final String REDIS_AUTO_CONFIGURATION = "org.springframework.boot.data.redis.autoconfigure.";

	private static final Set<String> NEVER = Set.of(REDIS_AUTO_CONFIGURATION + "DataRedisReactiveAutoConfiguration",
			REDIS_AUTO_CONFIGURATION + "DataRedisRepositoriesAutoConfiguration",
			REDIS_AUTO_CONFIGURATION + "health.DataRedisHealthContributorAutoConfiguration",
			REDIS_AUTO_CONFIGURATION + "health.DataRedisReactiveHealthContributorAutoConfiguration",
			REDIS_AUTO_CONFIGURATION + "observation.LettuceObservationAutoConfiguration");

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public boolean[] match(String[] candidates, AutoConfigurationMetadata metadata) {
		boolean redisStore = "redis".equals(this.environment.getProperty("rooms.store.type"));
		boolean[] matches = new boolean[candidates.length];
		for (int i = 0; i < candidates.length; i++) {
			String candidate = candidates[i];
			if (candidate == null || !candidate.startsWith(REDIS_AUTO_CONFIGURATION)) {
				matches[i] = true;
			}
			else {
				matches[i] = redisStore && !NEVER.contains(candidate);
			}
		}
		return matches;
	}

}
