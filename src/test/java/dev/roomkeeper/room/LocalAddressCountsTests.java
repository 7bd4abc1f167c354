package dev.roomkeeper.room;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.roomkeeper.support.MutableClock;
import dev.roomkeeper.system.RoomkeeperException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class LocalAddressCountsTests {

	@Test
	void countsPerLimitAddressAndWindow() {
		LocalAddressCounts counts = new LocalAddressCounts();
		counts.increment("a", "198.51.100.1", 7);
		counts.increment("a", "198.51.100.1", 7);
		counts.increment("b", "198.51.100.1", 7);

		assertThat(counts.count("a", "198.51.100.1", 7)).isEqualTo(2);
		assertThat(counts.count("b", "198.51.100.1", 7)).isEqualTo(1);
		assertThat(counts.count("a", "198.51.100.2", 7)).isZero();
		assertThat(counts.count("a", "198.51.100.1", 8)).isZero();
		assertThat(counts.increment("a", "198.51.100.1", 8)).isEqualTo(1);
	}

	@Test
	void limitRefusesPastTheLimitUntilTheNextMinute() {
		MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:45Z"));
		AddressLimit limit = new AddressLimit(new LocalAddressCounts(), "test", 2, clock, "slow down");
		limit.checkAndRecord("198.51.100.1");
		limit.checkAndRecord("198.51.100.1");

		assertThatExceptionOfType(RoomkeeperException.class).isThrownBy(() -> limit.checkAndRecord("198.51.100.1"))
			.satisfies((ex) -> assertThat(ex.retryAfter().toSeconds()).isEqualTo(15));
		assertThatNoException().isThrownBy(() -> limit.checkAndRecord("198.51.100.2"));

		clock.advance(java.time.Duration.ofSeconds(15));
		assertThatNoException().isThrownBy(() -> limit.checkAndRecord("198.51.100.1"));
	}

	@Test
	void manyAddressesStayBounded() {
		LocalAddressCounts counts = new LocalAddressCounts();
		for (int i = 0; i < LocalAddressCounts.MAX_ADDRESSES * 2; i++) {
			counts.increment("a", "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255), 1);
		}
		assertThat(counts.size()).isLessThanOrEqualTo(LocalAddressCounts.MAX_ADDRESSES + 1000L);
	}

}
