package dev.roomkeeper.live.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8ValidatorTests {

	@Test
	void acceptsUtf8SplitAnywhere() {
		byte[] text = "aé€🎉z".getBytes(StandardCharsets.UTF_8);
		for (int split = 0; split <= text.length; split++) {
			Utf8Validator validator = new Utf8Validator();
			assertThat(validator.accept(ByteBuffer.wrap(text, 0, split))).isTrue();
			assertThat(validator.accept(ByteBuffer.wrap(text, split, text.length - split))).isTrue();
			assertThat(validator.isComplete()).as("split at %d", split).isTrue();
		}
	}

	@Test
	void rejectsOverlongFormsSurrogatesAndCodePointsAboveTheRange() {
		assertThat(valid(0xC0, 0x80)).as("overlong NUL").isFalse();
		assertThat(valid(0xE0, 0x80, 0x80)).as("overlong three bytes").isFalse();
		assertThat(valid(0xED, 0xA0, 0x80)).as("surrogate U+D800").isFalse();
		assertThat(valid(0xF4, 0x90, 0x80, 0x80)).as("above U+10FFFF").isFalse();
		assertThat(valid(0x80)).as("lone continuation byte").isFalse();
		assertThat(valid(0xFF)).isFalse();
		assertThat(valid(0xEF, 0xBF, 0xBF)).as("U+FFFF").isTrue();
		assertThat(valid(0xF4, 0x8F, 0xBF, 0xBF)).as("U+10FFFF").isTrue();
	}

	@Test
	void aMessageCannotEndInsideACharacter() {
		Utf8Validator validator = new Utf8Validator();
		assertThat(validator.accept(ByteBuffer.wrap(new byte[] { (byte) 0xE2, (byte) 0x82 }))).isTrue();
		assertThat(validator.isComplete()).isFalse();
	}

	private static boolean valid(int... bytes) {
		byte[] array = new byte[bytes.length];
		for (int i = 0; i < bytes.length; i++) {
			array[i] = (byte) bytes[i];
		}
		Utf8Validator validator = new Utf8Validator();
		return validator.accept(ByteBuffer.wrap(array)) && validator.isComplete();
	}

}
