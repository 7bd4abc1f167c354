package dev.roomkeeper.reliability;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Malformed STOMP frames and WebSocket frames from a seeded {@link Random}, so a failing
 * run can be repeated.
 * <p>
 * {@link #stomp} makes STOMP frames for a connected session: well-formed frames with bad
 * content (a SEND with broken JSON, a destination that does not exist, a value too large)
 * and frames that are not STOMP at all (unknown commands, broken headers and escapes,
 * wrong lengths). {@link #webSocket} makes WebSocket frames a client must not send.
 */
final class MalformedFrames {

	private static final String[] ACTIONS = { "state", "broadcast", "presence", "keep-alive", "snapshot" };

	private static final String[] JSON = { "{\"data\":1}", "{\"patch\":{\"a\":1}}", "{\"state\":{\"x\":[1,2]}}",
			"{\"data\":{\"deep\":[{\"x\":\"y\"}]}}", "{\"presence\":\"away\"}" };

	private final Random random;

	private final String code;

	MalformedFrames(long seed, String code) {
		this.random = new Random(seed);
		this.code = code;
	}

	/** One malformed STOMP frame (text), never with a {@code receipt} header. */
	String stomp() {
		return switch (this.random.nextInt(12)) {
			case 0, 1, 2 -> send(destination(), brokenJson());
			case 3 -> send(badDestination(), JSON[this.random.nextInt(JSON.length)]);
			case 4 -> send(destination(), hugeJson());
			case 5 -> randomCommand() + "\n" + "destination:" + destination() + "\n\n" + brokenJson() + "\0";
			case 6 -> "SEND\n" + brokenHeader() + "\n\n{}\0";
			case 7 -> "SEND\ndestination:" + destination() + "\ncontent-length:" + badLength() + "\n\n{\"data\":1}\0";
			case 8 -> controlFrame();
			case 9 -> "SEND\ndestination:" + destination() + "\n" + "x-filler:" + "h".repeat(20_000) + "\n\n{}\0";
			case 10 -> randomText(1 + this.random.nextInt(300)) + "\0";
			default -> "SEND\ndestination:" + destination() + "\ncontent-type:" + randomText(20) + "\n\n"
					+ JSON[this.random.nextInt(JSON.length)] + "\0";
		};
	}

	private String send(String destination, String body) {
		return "SEND\ndestination:" + destination + "\ncontent-type:application/json\n\n" + body + "\0";
	}

	private String destination() {
		return "/app/rooms/" + this.code + "/" + ACTIONS[this.random.nextInt(ACTIONS.length)];
	}

	private String badDestination() {
		return switch (this.random.nextInt(8)) {
			case 0 -> "/app/rooms/" + this.code + "/" + randomText(8).replace('\n', ' ').replace(':', ' ');
			case 1 -> "/app/rooms/ZZZZZZ/broadcast";
			case 2 -> "/app/rooms/" + this.code + "/../../admin";
			case 3 -> "/topic/rooms/" + this.code;
			case 4 -> "/app/rooms/" + this.code.toLowerCase() + "%2Fbroadcast";
			case 5 -> "";
			case 6 -> "/app/rooms/" + "A".repeat(2000) + "/state";
			default -> "/user/queue/room";
		};
	}

	private String brokenJson() {
		String json = JSON[this.random.nextInt(JSON.length)];
		return switch (this.random.nextInt(10)) {
			case 0 -> json.substring(0, this.random.nextInt(json.length()));
			case 1 -> json.replace('}', ']');
			case 2 -> "[".repeat(5_000 + this.random.nextInt(5_000));
			case 3 -> "{\"data\":" + "1".repeat(400) + "e999999}";
			case 4 -> "{\"data\":\"\\ud800\"}";
			case 5 -> "{\"patch\":" + randomText(30).replace("\0", "") + "}";
			case 6 -> "{\"data\":1,\"data\":2}";
			case 7 -> "null";
			case 8 -> "{\"state\":\"not an object\",\"patch\":[1]}";
			default -> insertRandom(json);
		};
	}

	private String hugeJson() {
		return "{\"data\":\"" + "x".repeat(70_000 + this.random.nextInt(200_000)) + "\"}";
	}

	private String randomCommand() {
		String[] commands = { "send", "SEN D", "SENDX", "BEGIN", "COMMIT", "ABORT", "NACK\nid:x\n", "FOO", "MESSAGE",
				"CONNECTED", "ERROR", "RECEIPT", "CONNECT", "STOMP", "SUBSCRIBE\nid:x",
				"SUBSCRIBE\nid:t\ndestination:/topic/rooms/ZZZZZZ", "UNSUBSCRIBE" };
		return commands[this.random.nextInt(commands.length)];
	}

	private String brokenHeader() {
		return switch (this.random.nextInt(6)) {
			case 0 -> "no colon here";
			case 1 -> "destination:/app/rooms/" + this.code + "/broadcast\\x";
			case 2 -> "destination:\\" + randomText(3);
			case 3 -> ":empty-name";
			case 4 -> "destination:/app/rooms/" + this.code + "/broadcast\r\r\n";
			default -> "h".repeat(10_000) + ":v";
		};
	}

	private String badLength() {
		return switch (this.random.nextInt(5)) {
			case 0 -> "-1";
			case 1 -> "abc";
			case 2 -> "3";
			case 3 -> "99999999999999999999";
			default -> " 5";
		};
	}

	private String controlFrame() {
		return switch (this.random.nextInt(6)) {
			case 0 -> "BEGIN\ntransaction:t1\n\n\0";
			case 1 -> "CONNECT\naccept-version:1.2\n\n\0";
			case 2 -> "SUBSCRIBE\nid:x\ndestination:/topic/rooms/ZZZZZZ\n\n\0";
			case 3 -> "SUBSCRIBE\ndestination:/user/queue/room\n\n\0";
			case 4 -> "UNSUBSCRIBE\n\n\0";
			default -> "ACK\n\n\0";
		};
	}

	private String insertRandom(String json) {
		int at = this.random.nextInt(json.length() + 1);
		return json.substring(0, at) + randomText(1 + this.random.nextInt(5)).replace("\0", "") + json.substring(at);
	}

	/** Random characters from ASCII control characters to astral-plane code points. */
	String randomText(int length) {
		StringBuilder text = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			int kind = this.random.nextInt(10);
			int codePoint;
			if (kind < 5) {
				codePoint = 0x20 + this.random.nextInt(0x5F);
			}
			else if (kind < 7) {
				codePoint = this.random.nextInt(0x20);
			}
			else if (kind < 9) {
				codePoint = 0xA0 + this.random.nextInt(0xD000);
			}
			else {
				codePoint = 0x1F300 + this.random.nextInt(0x300);
			}
			text.appendCodePoint(codePoint);
		}
		return text.toString();
	}

	/** One WebSocket frame (or frames) a client must not send, as raw bytes. */
	byte[] webSocket() {
		byte[] payload = randomText(this.random.nextInt(40)).getBytes(StandardCharsets.UTF_8);
		return switch (this.random.nextInt(11)) {
			case 0 -> frame(0x80 | (3 + this.random.nextInt(5)), payload, true);
			case 1 -> frame(0x80 | (0xB + this.random.nextInt(5)), payload, true);
			case 2 -> frame(0x81 | (0x10 << this.random.nextInt(3)), payload, true);
			case 3 -> frame(0x81, payload, false);
			case 4 -> frame(0x89, new byte[126 + this.random.nextInt(200)], true);
			case 5 -> frame(0x09, new byte[0], true);
			case 6 -> frame(0x80, payload, true);
			case 7 -> concat(frame(0x01, payload, true), frame(0x81, payload, true));
			case 8 -> frame(0x81, invalidUtf8(), true);
			case 9 -> frame(0x88, closePayload(), true);
			default -> lyingLength();
		};
	}

	private byte[] invalidUtf8() {
		byte[][] invalid = { { (byte) 0xC3 }, { (byte) 0xED, (byte) 0xA0, (byte) 0x80 },
				{ (byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80 }, { (byte) 0xC0, (byte) 0xAF },
				{ (byte) 0xFF } };
		return concat("SEND\n".getBytes(StandardCharsets.US_ASCII), invalid[this.random.nextInt(invalid.length)]);
	}

	private byte[] closePayload() {
		return switch (this.random.nextInt(4)) {
			case 0 -> new byte[] { 0x03 };
			case 1 -> new byte[] { 0x03, (byte) 0xED };
			case 2 -> new byte[] { 0x13, (byte) 0x88 };
			default -> new byte[] { 0x03, (byte) 0xE8, (byte) 0xC3 };
		};
	}

	/**
	 * A frame length with the top bit set (not allowed), or a frame that announces a
	 * terabyte and sends more than a STOMP frame may hold.
	 */
	private byte[] lyingLength() {
		boolean negative = this.random.nextBoolean();
		int sent = negative ? 0 : 80_000;
		ByteBuffer frame = ByteBuffer.allocate(14 + sent);
		frame.put((byte) 0x81);
		frame.put((byte) (0x80 | 127));
		frame.putLong(negative ? Long.MIN_VALUE + 5 : 1L << 40);
		frame.put(new byte[4]);
		for (int i = 0; i < sent; i++) {
			frame.put((byte) 'a');
		}
		return frame.array();
	}

	private static byte[] frame(int firstByte, byte[] payload, boolean masked) {
		return dev.roomkeeper.support.RawWebSocket.encodeFrame(firstByte, payload, masked);
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] both = new byte[a.length + b.length];
		System.arraycopy(a, 0, both, 0, a.length);
		System.arraycopy(b, 0, both, a.length, b.length);
		return both;
	}

}
