package dev.roomkeeper.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A connection to the {@link TestRedis test Redis} for all tests of a class, under a key
 * prefix of the class's own ({@link TestRedis#uniquePrefix}): connected before them;
 * after them every key under the prefix is deleted and the connection closed. Register it
 * on a static field: <pre>
 * &#64;RegisterExtension
 * static final TestRedisExtension testRedis = new TestRedisExtension(RedisPresenceTests.class);
 * </pre>
 */
public final class TestRedisExtension implements BeforeAllCallback, AfterAllCallback {

	private final String prefix;

	private LettuceConnectionFactory connectionFactory;

	public TestRedisExtension(Class<?> testClass) {
		this.prefix = TestRedis.uniquePrefix(testClass);
	}

	/** The key prefix of this class's keys (tests may add to it). */
	public String prefix() {
		return this.prefix;
	}

	/** The started connection factory. */
	public LettuceConnectionFactory connectionFactory() {
		if (this.connectionFactory == null) {
			throw new IllegalStateException("Not connected to the test Redis");
		}
		return this.connectionFactory;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		this.connectionFactory = TestRedis.connectionFactory();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.connectionFactory != null) {
			TestRedis.deleteKeys(this.connectionFactory, this.prefix);
			this.connectionFactory.destroy();
			this.connectionFactory = null;
		}
	}

}
