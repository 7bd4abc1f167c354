package dev.roomkeeper.room;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * {@link AddressCounts} on this instance: a Caffeine cache of at most
 * {@value #MAX_ADDRESSES} addresses per limit (the least recently counted go first), each
 * forgotten two minutes after its last count, so neither memory nor the work per request
 * grows with the number of addresses seen.
 */
public final class LocalAddressCounts implements AddressCounts {

	static final int MAX_ADDRESSES = 100_000;

	private static final Duration FORGET_AFTER = Duration.ofMinutes(2);

	private final Cache<String, Window> windows = Caffeine.newBuilder()
		.maximumSize(MAX_ADDRESSES)
		.expireAfterWrite(FORGET_AFTER)
		.build();

	@Override
	public long increment(String limit, String address, long window) {
		return this.windows.asMap().compute(key(limit, address), (key, current) -> {
			Window counted = (current != null && current.index == window) ? current : new Window(window);
			counted.count.incrementAndGet();
			return counted;
		}).count.get();
	}

	@Override
	public long count(String limit, String address, long window) {
		Window current = this.windows.getIfPresent(key(limit, address));
		return (current != null && current.index == window) ? current.count.get() : 0;
	}

	/** Addresses (per limit) counted now; after clean-up, at most the bound. */
	long size() {
		this.windows.cleanUp();
		return this.windows.estimatedSize();
	}

	private static String key(String limit, String address) {
		return limit + " " + address;
	}

	private static final class Window {

		private final long index;

		private final AtomicLong count = new AtomicLong();

		private Window(long index) {
			this.index = index;
		}

	}

}
