package dev.roomkeeper.system;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TrustedProxiesConfigurationTests {

	@Test
	void rangesWhenBareAddressesThenSingleAddressRanges() {
		assertThat(TrustedProxiesConfiguration.ranges(List.of("127.0.0.0/8", " ::1", "10.0.0.7", "fdaa::/16")))
			.isEqualTo("127.0.0.0/8,::1/128,10.0.0.7/32,fdaa::/16");
	}

	@Test
	void rangesWhenEmptyThenNoOneIsTrusted() {
		assertThat(TrustedProxiesConfiguration.ranges(List.of())).isEmpty();
		assertThat(TrustedProxiesConfiguration.ranges(List.of(""))).isEmpty();
	}

	@Test
	void rangesWhenNotAnAddressThenTheMessageNamesTheProperty() {
		assertThatIllegalArgumentException().isThrownBy(() -> TrustedProxiesConfiguration.ranges(List.of("10.*")))
			.withMessageContaining("rooms.trusted-proxies")
			.withMessageContaining("10.*");
	}

}
