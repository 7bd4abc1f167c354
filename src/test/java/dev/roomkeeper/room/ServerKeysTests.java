package dev.roomkeeper.room;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ServerKeysTests {

	private static final String KEY = "sk_0123456789abcdefghijklmnopqrstuvwxyz";

	@Test
	void matchesEveryConfiguredKeyAndNothingElse() {
		RoomProperties properties = new RoomProperties();
		properties.setServerKeys(List.of(KEY, KEY + "-next"));
		ServerKeys keys = new ServerKeys(properties);

		assertThat(keys.enabled()).isTrue();
		assertThat(keys.matches(KEY)).isTrue();
		assertThat(keys.matches(KEY + "-next")).isTrue();
		assertThat(keys.matches(KEY + "x")).isFalse();
		assertThat(keys.matches(KEY.substring(1))).isFalse();
		assertThat(keys.matches(null)).isFalse();
	}

	@Test
	void noKeysThenNothingMatches() {
		ServerKeys keys = new ServerKeys(new RoomProperties());
		assertThat(keys.enabled()).isFalse();
		assertThat(keys.matches("")).isFalse();
	}

	@Test
	void shortKeyStopsStartUpNamingTheProperty() {
		RoomProperties properties = new RoomProperties();
		properties.setServerKeys(List.of("short"));
		assertThatIllegalStateException().isThrownBy(() -> new ServerKeys(properties))
			.withMessageContaining("rooms.server-keys");
	}

}
