package dev.roomkeeper.live.websocket;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Frames as a client sends them (masked), for the decoder and connection tests. */
final class ClientFrames {

	private static final byte[] MASK = { 0x37, (byte) 0xFA, 0x21, 0x3D };

	private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

	ClientFrames text(String text) {
		return frame(true, WebSocketFrames.OPCODE_TEXT, text.getBytes(StandardCharsets.UTF_8), true);
	}

	ClientFrames frame(boolean fin, int opcode, byte[] payload, boolean masked) {
		return frame((fin ? 0x80 : 0) | opcode, payload, masked);
	}

	ClientFrames frame(int firstByte, byte[] payload, boolean masked) {
		this.bytes.write(firstByte);
		int maskBit = masked ? 0x80 : 0;
		if (payload.length <= 125) {
			this.bytes.write(maskBit | payload.length);
		}
		else if (payload.length <= 0xFFFF) {
			this.bytes.write(maskBit | 126);
			this.bytes.write(payload.length >> 8);
			this.bytes.write(payload.length);
		}
		else {
			this.bytes.write(maskBit | 127);
			for (int shift = 56; shift >= 0; shift -= 8) {
				this.bytes.write((int) ((long) payload.length >> shift));
			}
		}
		if (masked) {
			this.bytes.writeBytes(MASK);
		}
		for (int i = 0; i < payload.length; i++) {
			this.bytes.write(masked ? payload[i] ^ MASK[i % 4] : payload[i]);
		}
		return this;
	}

	ClientFrames close(int code, String reason) {
		byte[] text = reason.getBytes(StandardCharsets.UTF_8);
		byte[] payload = new byte[2 + text.length];
		payload[0] = (byte) (code >> 8);
		payload[1] = (byte) code;
		System.arraycopy(text, 0, payload, 2, text.length);
		return frame(true, WebSocketFrames.OPCODE_CLOSE, payload, true);
	}

	byte[] toByteArray() {
		return this.bytes.toByteArray();
	}

}
