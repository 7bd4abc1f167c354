package dev.roomkeeper.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.lettuce.core.ClientOptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The Redis that tests use: {@code REDIS_URL} when it is set; otherwise a Redis container
 * (Testcontainers) when Docker is available; otherwise the test fails, saying how to
 * provide one. Never a silent skip. Tests keep apart by key prefix
 * ({@link #uniquePrefix}).
 */
public final class TestRedis {

	private static final String HOW_TO = "These tests need Redis: set REDIS_URL=redis://127.0.0.1:6379 "
			+ "(with redis-server running there) or start Docker so that Testcontainers can run one.";

	private static String url;

	private static GenericContainer<?> container;

	private TestRedis() {
	}

	/** The URL of the test Redis, e.g. {@code redis://127.0.0.1:6379}. */
	public static synchronized String url() {
		if (url == null) {
			url = resolve();
		}
		return url;
	}

	private static String resolve() {
		String fromEnvironment = System.getenv("REDIS_URL");
		if (fromEnvironment != null && !fromEnvironment.isBlank()) {
			return fromEnvironment;
		}
		if (dockerAvailable()) {
			container = new GenericContainer<>(DockerImageName.parse("redis:7-alpine")).withExposedPorts(6379);
			container.start();
			return "redis://" + container.getHost() + ":" + container.getMappedPort(6379);
		}
		throw new AssertionError(HOW_TO);
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException | LinkageError ex) {
			return false;
		}
	}

	/** A key prefix no other test run or class uses. */
	public static String uniquePrefix(Class<?> testClass) {
		return "test:" + testClass.getSimpleName() + ":" + UUID.randomUUID().toString().substring(0, 8) + ":";
	}

	/** A started connection factory for the test Redis. */
	public static LettuceConnectionFactory connectionFactory() {
		return connectionFactory(url());
	}

	/**
	 * A started connection factory for a Redis URL; like the application's, it fails
	 * commands at once while disconnected.
	 */
	public static LettuceConnectionFactory connectionFactory(String redisUrl) {
		LettuceClientConfiguration client = LettuceClientConfiguration.builder()
			.commandTimeout(Duration.ofSeconds(5))
			.clientOptions(ClientOptions.builder()
				.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
				.build())
			.build();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				LettuceConnectionFactory.createRedisConfiguration(redisUrl), client);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/** Deletes every key that starts with a prefix. */
	public static void deleteKeys(LettuceConnectionFactory factory, String prefix) {
		StringRedisTemplate redis = new StringRedisTemplate(factory);
		List<String> keys = new ArrayList<>();
		try (Cursor<String> cursor = redis.scan(ScanOptions.scanOptions().match(prefix + "*").count(1000).build())) {
			cursor.forEachRemaining(keys::add);
		}
		if (!keys.isEmpty()) {
			redis.delete(keys);
		}
	}

}
