package dev.roomkeeper.room;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoomCodesTests {

	@Test
	void generateThenLengthAndAlphabetWithoutLookAlikes() {
		for (int i = 0; i < 1000; i++) {
			assertThat(RoomCodes.generate(6)).matches("[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}");
		}
		assertThat(RoomCodes.ALPHABET).doesNotContain("0", "O", "1", "I", "L");
	}

	@Test
	void normalizeIfValidThenUpperCaseOrEmpty() {
		assertThat(RoomCodes.normalizeIfValid("party-Room-1")).contains("PARTY-ROOM-1");
		assertThat(RoomCodes.normalizeIfValid("ab")).isEmpty();
		assertThat(RoomCodes.normalizeIfValid("a".repeat(33))).isEmpty();
		assertThat(RoomCodes.normalizeIfValid("a_b_c")).isEmpty();
		assertThat(RoomCodes.normalizeIfValid("../etc")).isEmpty();
		assertThat(RoomCodes.normalizeIfValid(null)).isEmpty();
	}

	@Test
	void isValidThenThreeToThirtyTwoLettersDigitsOrHyphensOnly() {
		assertThat(RoomCodes.isValid("abc")).isTrue();
		assertThat(RoomCodes.isValid("Z9-" + "a".repeat(29))).isTrue();
		assertThat(RoomCodes.isValid("---")).isTrue();
		assertThat(RoomCodes.isValid("a".repeat(33))).isFalse();
		assertThat(RoomCodes.isValid("")).isFalse();
		for (String code : new String[] { "ab c", "abc.", "abc/", "ABC@", "abc[", "abc`", "abc{", "ab\u00e9",
				"ab\u0130", "ab\u212a", "abc\n", "ab:c" }) {
			assertThat(RoomCodes.isValid(code)).as(code).isFalse();
		}
	}

}
