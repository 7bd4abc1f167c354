package dev.roomkeeper.room;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import dev.roomkeeper.system.RoomkeeperException;

/**
 * Limits guessing: each client address may fail
 * {@code rooms.limits.failed-joins-per-minute} look-ups ({@code room-not-found},
 * {@code wrong-password}) in any sliding minute; past that every join or look-up from the
 * address answers {@code rate-limited} with {@code Retry-After} until the oldest failure
 * is a minute old.
 */
@Component
public class FailedLookupLimiter {

	private static final Duration WINDOW = Duration.ofMinutes(1);

	private static final int MAX_TRACKED_ADDRESSES = 100_000;

	private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

	private final int limit;

	private final Clock clock;

	public FailedLookupLimiter(RoomProperties properties, Clock clock) {
		this.limit = properties.getLimits().getFailedJoinsPerMinute();
		this.clock = clock;
	}

	/** Throws {@code rate-limited} if the address used up its failures. */
	public void check(String address) {
		Deque<Instant> recent = this.failures.get(address);
		if (recent == null) {
			return;
		}
		Instant now = this.clock.instant();
		synchronized (recent) {
			prune(recent, now);
			if (recent.size() >= this.limit) {
				Duration retryAfter = Duration.between(now, recent.peekFirst().plus(WINDOW));
				throw RoomkeeperException.rateLimited("Too many failed look-ups from this address; try again later",
						retryAfter);
			}
		}
	}

	/** Counts one failed look-up for the address. */
	public void recordFailure(String address) {
		if (this.failures.size() >= MAX_TRACKED_ADDRESSES) {
			forgetQuietAddresses();
		}
		Instant now = this.clock.instant();
		Deque<Instant> recent = this.failures.computeIfAbsent(address, (key) -> new ArrayDeque<>());
		synchronized (recent) {
			prune(recent, now);
			recent.addLast(now);
			while (recent.size() > this.limit) {
				recent.removeFirst();
			}
		}
	}

	private void forgetQuietAddresses() {
		Instant now = this.clock.instant();
		this.failures.entrySet().removeIf((entry) -> {
			synchronized (entry.getValue()) {
				prune(entry.getValue(), now);
				return entry.getValue().isEmpty();
			}
		});
	}

	private static void prune(Deque<Instant> recent, Instant now) {
		Instant cutoff = now.minus(WINDOW);
		while (!recent.isEmpty() && !recent.peekFirst().isAfter(cutoff)) {
			recent.removeFirst();
		}
	}

}
