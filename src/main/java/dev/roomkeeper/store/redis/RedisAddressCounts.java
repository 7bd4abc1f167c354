package dev.roomkeeper.store.redis;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.roomkeeper.room.AddressCounts;
import dev.roomkeeper.room.LocalAddressCounts;

/**
 * {@link AddressCounts} shared by every instance on the Redis store: one counter key per
 * limit, window and address ({@code {prefix}limits:{limit}:{window}:{address}}), added to
 * with {@code INCR} and expiring a minute after its window ends. While Redis cannot be
 * reached, counts are kept on this instance instead, so a limit still holds per instance
 * (and a look-up does not fail for the limiter's sake).
 */
final class RedisAddressCounts implements AddressCounts {

	private static final Log log = LogFactory.getLog(RedisAddressCounts.class);

	/** One window (a minute) and one more. */
	private static final String TTL_SECONDS = "120";

	private static final RedisScript<Long> COUNT = LuaScripts.load("count-address.lua", Long.class);

	private final StringRedisTemplate redis;

	private final String prefix;

	private final LocalAddressCounts fallback = new LocalAddressCounts();

	RedisAddressCounts(RedisConnectionFactory connectionFactory, String prefix) {
		this.redis = new StringRedisTemplate(connectionFactory);
		this.prefix = prefix;
	}

	@Override
	public long increment(String limit, String address, long window) {
		try {
			Long count = this.redis.execute(COUNT, java.util.List.of(key(limit, address, window)), TTL_SECONDS);
			return (count != null) ? count : 0;
		}
		catch (RuntimeException ex) {
			log.debug("Counting on this instance: Redis is unreachable", ex);
			return this.fallback.increment(limit, address, window);
		}
	}

	@Override
	public long count(String limit, String address, long window) {
		try {
			String count = this.redis.opsForValue().get(key(limit, address, window));
			return Math.max((count != null) ? Long.parseLong(count) : 0, this.fallback.count(limit, address, window));
		}
		catch (RuntimeException ex) {
			log.debug("Counting on this instance: Redis is unreachable", ex);
			return this.fallback.count(limit, address, window);
		}
	}

	String key(String limit, String address, long window) {
		return this.prefix + "limits:" + limit + ":" + window + ":" + address;
	}

}
