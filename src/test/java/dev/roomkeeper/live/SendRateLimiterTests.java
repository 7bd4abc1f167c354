package dev.roomkeeper.live;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SendRateLimiterTests {

	private static final long SECOND = 1_000_000_000L;

	@Test
	void burstOfTheRateThenOneTokenPerIntervalNeverMoreThanTheBurst() {
		SendRateLimiter limiter = new SendRateLimiter(5, 0);

		for (int i = 0; i < 5; i++) {
			assertThat(limiter.tryAcquire(0)).isTrue();
		}
		assertThat(limiter.tryAcquire(0)).isFalse();
		assertThat(limiter.tryAcquire(SECOND / 5 - 1)).isFalse();
		assertThat(limiter.tryAcquire(SECOND / 5)).isTrue();
		assertThat(limiter.tryAcquire(SECOND / 5)).isFalse();

		long later = 60 * SECOND;
		int allowed = 0;
		while (limiter.tryAcquire(later)) {
			allowed++;
		}
		assertThat(allowed).isEqualTo(5);
	}

	@Test
	void zeroMeansNoLimit() {
		SendRateLimiter limiter = new SendRateLimiter(0, 0);

		for (int i = 0; i < 1000; i++) {
			assertThat(limiter.tryAcquire(0)).isTrue();
		}
	}

}
