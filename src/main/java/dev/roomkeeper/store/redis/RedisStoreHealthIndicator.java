package dev.roomkeeper.store.redis;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import dev.roomkeeper.room.StoreUnavailableException;

/**
 * Health of the Redis store (the {@code store} component of {@code /actuator/health}): UP
 * when Redis answers a {@code PING}, with the round trip in {@code latencyMs}; DOWN with
 * the reason when it does not. Other details: {@code type}, {@code rooms},
 * {@code keyPrefix} and {@code events} ({@code listening} while this instance is
 * subscribed to the events channel).
 */
class RedisStoreHealthIndicator extends AbstractHealthIndicator {

	private final RedisRoomRepository repository;

	RedisStoreHealthIndicator(RedisRoomRepository repository) {
		this.repository = repository;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.withDetail("type", "redis").withDetail("keyPrefix", this.repository.keyPrefix());
		try {
			long nanos = this.repository.ping();
			builder.withDetail("latencyMs", Math.round(nanos / 10_000.0) / 100.0)
				.withDetail("rooms", this.repository.count())
				.withDetail("events", this.repository.isListening() ? "listening" : "not listening")
				.up();
		}
		catch (StoreUnavailableException ex) {
			builder.withDetail("error", rootMessage(ex)).down();
		}
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName() + ": " + root.getMessage();
	}

}
