package dev.roomkeeper.live.websocket;

import java.nio.charset.StandardCharsets;

/**
 * Encodes the frames a server sends (unmasked, final, no extension bits): a whole message
 * per frame, as one byte array that can be written to any number of connections.
 */
public final class WebSocketFrames {

	static final int OPCODE_CONTINUATION = 0x0;

	static final int OPCODE_TEXT = 0x1;

	static final int OPCODE_BINARY = 0x2;

	static final int OPCODE_CLOSE = 0x8;

	static final int OPCODE_PING = 0x9;

	static final int OPCODE_PONG = 0xA;

	private static final int FIN = 0x80;

	private WebSocketFrames() {
	}

	/** A text message holding a string (which must have no lone surrogates). */
	public static byte[] text(String text) {
		return text(text.getBytes(StandardCharsets.UTF_8));
	}

	/** A text message holding UTF-8 bytes. */
	public static byte[] text(byte[] utf8) {
		return frame(OPCODE_TEXT, utf8, 0, utf8.length);
	}

	/**
	 * Room for a text frame's header in front of a payload of a known length: fill
	 * {@code result[headerLength(length)..]} with the payload.
	 */
	public static byte[] textWithRoomFor(int payloadLength) {
		byte[] frame = new byte[headerLength(payloadLength) + payloadLength];
		writeHeader(frame, OPCODE_TEXT, payloadLength);
		return frame;
	}

	/** How many bytes the header of a frame with this payload length takes. */
	public static int headerLength(int payloadLength) {
		return (payloadLength <= 125) ? 2 : (payloadLength <= 0xFFFF) ? 4 : 10;
	}

	static byte[] close(int code, String reason) {
		byte[] text = reason.getBytes(StandardCharsets.UTF_8);
		int length = Math.min(text.length, 123);
		// Cut at a character boundary: a close reason must be UTF-8.
		while (length < text.length && (text[length] & 0xC0) == 0x80) {
			length--;
		}
		byte[] payload = new byte[2 + length];
		payload[0] = (byte) (code >> 8);
		payload[1] = (byte) code;
		System.arraycopy(text, 0, payload, 2, length);
		return frame(OPCODE_CLOSE, payload, 0, payload.length);
	}

	static byte[] pong(byte[] payload, int length) {
		return frame(OPCODE_PONG, payload, 0, length);
	}

	static byte[] frame(int opcode, byte[] payload, int offset, int length) {
		byte[] frame = new byte[headerLength(length) + length];
		int header = writeHeader(frame, opcode, length);
		System.arraycopy(payload, offset, frame, header, length);
		return frame;
	}

	private static int writeHeader(byte[] frame, int opcode, int length) {
		frame[0] = (byte) (FIN | opcode);
		if (length <= 125) {
			frame[1] = (byte) length;
			return 2;
		}
		if (length <= 0xFFFF) {
			frame[1] = 126;
			frame[2] = (byte) (length >> 8);
			frame[3] = (byte) length;
			return 4;
		}
		frame[1] = 127;
		for (int i = 0; i < 8; i++) {
			frame[2 + i] = (byte) ((long) length >> (56 - 8 * i));
		}
		return 10;
	}

}
