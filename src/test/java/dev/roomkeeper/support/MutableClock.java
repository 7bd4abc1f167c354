package dev.roomkeeper.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that a test moves by hand, so expiry tests take milliseconds. Thread
 * safe: the application reads it on other threads.
 */
public final class MutableClock extends Clock {

	private final AtomicReference<Instant> now;

	public MutableClock(Instant start) {
		this.now = new AtomicReference<>(start);
	}

	/** A clock at a fixed, round instant (2030-01-01T00:00:00Z). */
	public static MutableClock atFixedStart() {
		return new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
	}

	/** Moves the clock forward; returns the new time. */
	public Instant advance(Duration duration) {
		if (duration.isNegative()) {
			throw new IllegalArgumentException("Time only moves forward");
		}
		return this.now.updateAndGet((instant) -> instant.plus(duration));
	}

	/** Moves the clock to an instant (not backwards); returns it. */
	public Instant set(Instant instant) {
		Instant previous = this.now.getAndUpdate((current) -> instant.isBefore(current) ? current : instant);
		if (instant.isBefore(previous)) {
			throw new IllegalArgumentException("Time only moves forward: " + instant + " is before " + previous);
		}
		return instant;
	}

	@Override
	public Instant instant() {
		return this.now.get();
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		if (ZoneOffset.UTC.equals(zone)) {
			return this;
		}
		throw new UnsupportedOperationException("MutableClock is always UTC");
	}

}
