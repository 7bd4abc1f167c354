package dev.roomkeeper.room;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsTests {

	@Test
	void newTokenThenNamesItsRoomAndCarriesAtLeast128RandomUrlSafeBits() {
		Set<String> tokens = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			String token = Secrets.newToken("ABC234");
			assertThat(token).matches("ABC234\\.[A-Za-z0-9_-]{43}");
			tokens.add(token);
		}
		assertThat(tokens).hasSize(1000);
		assertThat(Secrets.roomCodeOf(Secrets.newToken("my-room"))).contains("MY-ROOM");
		assertThat(Secrets.roomCodeOf("garbage")).isEmpty();
		assertThat(Secrets.roomCodeOf("../x.y")).isEmpty();
		assertThat(Secrets.roomCodeOf(null)).isEmpty();
	}

	@Test
	void hashTokenThenStableAndNotTheToken() {
		String token = Secrets.newToken("ABC234");

		assertThat(Secrets.hashToken(token)).isEqualTo(Secrets.hashToken(token)).doesNotContain(token);
		assertThat(Secrets.hashesEqual(Secrets.hashToken(token), Secrets.hashToken(token + "x"))).isFalse();
		assertThat(Secrets.hashesEqual(null, Secrets.hashToken(token))).isFalse();
	}

	@Test
	void hashesEqualThenOnlyTheSameCharactersAndLength() {
		assertThat(Secrets.hashesEqual("abc", "abc")).isTrue();
		assertThat(Secrets.hashesEqual("", "")).isTrue();
		assertThat(Secrets.hashesEqual("abc", "abd")).isFalse();
		assertThat(Secrets.hashesEqual("abc", "abcd")).isFalse();
		assertThat(Secrets.hashesEqual("abcd", "abc")).isFalse();
		assertThat(Secrets.hashesEqual("abca", "abc")).isFalse();
		assertThat(Secrets.hashesEqual("", "a")).isFalse();
		assertThat(Secrets.hashesEqual("a", "")).isFalse();
		// not folded to '?' as an ASCII encoding would
		assertThat(Secrets.hashesEqual("ab\u00e9", "ab?")).isFalse();
		assertThat(Secrets.hashesEqual("abc", null)).isFalse();
	}

	@Test
	void passwordMatchesThenOnlyTheRightPasswordIncludingLongOnes() {
		String longPassword = "p".repeat(100);
		String hash = Secrets.hashPassword(longPassword);

		assertThat(hash).startsWith("$2").doesNotContain(longPassword);
		assertThat(Secrets.passwordMatches(longPassword, hash)).isTrue();
		assertThat(Secrets.passwordMatches("p".repeat(99) + "q", hash)).as("not truncated at 72 bytes").isFalse();
	}

	@Test
	void passwordMatchesWhenNoHashOrNoPasswordThenFalse() {
		assertThat(Secrets.passwordMatches("anything", null)).isFalse();
		assertThat(Secrets.passwordMatches(null, Secrets.hashPassword("pw"))).isFalse();
	}

}
