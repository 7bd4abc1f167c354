package dev.roomkeeper.live;

/**
 * A token bucket per connection: {@code perSecond} frames a second, with a burst of the
 * same size. Zero or less means no limit.
 */
final class SendRateLimiter {

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	private final int perSecond;

	private double tokens;

	private long refilledAt;

	SendRateLimiter(int perSecond, long nowNanos) {
		this.perSecond = perSecond;
		this.tokens = perSecond;
		this.refilledAt = nowNanos;
	}

	/** Takes one token if there is one. */
	synchronized boolean tryAcquire(long nowNanos) {
		if (this.perSecond <= 0) {
			return true;
		}
		long elapsed = nowNanos - this.refilledAt;
		if (elapsed > 0) {
			this.tokens = Math.min(this.perSecond, this.tokens + (double) elapsed * this.perSecond / NANOS_PER_SECOND);
			this.refilledAt = nowNanos;
		}
		if (this.tokens >= 1) {
			this.tokens -= 1;
			return true;
		}
		return false;
	}

}
