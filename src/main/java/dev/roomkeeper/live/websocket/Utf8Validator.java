package dev.roomkeeper.live.websocket;

import java.nio.ByteBuffer;

/**
 * Checks that the bytes of a text message are well-formed UTF-8 (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF) as they arrive, in parts that may split a
 * character. A text message that is not UTF-8 closes the connection with {@code 1007}.
 */
final class Utf8Validator {

	/** Continuation bytes still expected for the current character. */
	private int remaining;

	/**
	 * Bounds for the second byte of the current character (overlong and range checks).
	 */
	private int secondMin;

	private int secondMax;

	private boolean second;

	/**
	 * Reads the bytes between position and limit (the position is left unchanged).
	 * @return whether they are well-formed so far
	 */
	boolean accept(ByteBuffer bytes) {
		for (int i = bytes.position(); i < bytes.limit(); i++) {
			if (!accept(bytes.get(i) & 0xFF)) {
				return false;
			}
		}
		return true;
	}

	/** Whether the message may end here: no character left half-way. */
	boolean isComplete() {
		return this.remaining == 0;
	}

	/** Forgets everything: the next byte starts a message. */
	void reset() {
		this.remaining = 0;
		this.second = false;
	}

	private boolean accept(int b) {
		if (this.remaining == 0) {
			if (b < 0x80) {
				return true;
			}
			this.secondMin = 0x80;
			this.secondMax = 0xBF;
			if (b >= 0xC2 && b <= 0xDF) {
				this.remaining = 1;
			}
			else if (b >= 0xE0 && b <= 0xEF) {
				this.remaining = 2;
				if (b == 0xE0) {
					this.secondMin = 0xA0;
				}
				else if (b == 0xED) {
					this.secondMax = 0x9F;
				}
			}
			else if (b >= 0xF0 && b <= 0xF4) {
				this.remaining = 3;
				if (b == 0xF0) {
					this.secondMin = 0x90;
				}
				else if (b == 0xF4) {
					this.secondMax = 0x8F;
				}
			}
			else {
				return false;
			}
			this.second = true;
			return true;
		}
		int min = this.second ? this.secondMin : 0x80;
		int max = this.second ? this.secondMax : 0xBF;
		if (b < min || b > max) {
			return false;
		}
		this.second = false;
		this.remaining--;
		return true;
	}

}
