package dev.roomkeeper.live;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads STOMP 1.2 frames from a stream of WebSocket message parts: several frames per
 * message, frames split across messages, heart-beat end-of-lines between frames.
 * <p>
 * Memory stays bounded: the command and headers may take {@code maxHeaderBytes}, a body
 * {@code maxBodyBytes}. A larger body is skipped without being kept, and the frame is
 * still handed on (with {@link StompFrame#bodyTooLarge()}) so the sender can be told;
 * headers that are too long or malformed are a {@link MalformedFrameException}. Not
 * thread-safe: one reader per connection, fed by one thread at a time.
 */
final class StompFrameReader {

	private static final byte NUL = 0;

	private static final byte LF = '\n';

	private static final byte CR = '\r';

	private enum State {

		BETWEEN_FRAMES, HEADER_LINES, BODY_BY_LENGTH, BODY_TO_NUL, SKIP_BY_LENGTH, SKIP_TO_NUL, EXPECT_NUL

	}

	private final int maxHeaderBytes;

	private final int maxBodyBytes;

	/** Commands a client sends, read as these constants. */
	private static final String[] COMMANDS = { "SEND", "SUBSCRIBE", "UNSUBSCRIBE", "CONNECT", "STOMP", "DISCONNECT",
			"ACK", "NACK", "BEGIN", "COMMIT", "ABORT" };

	/** Header names a client sends, read as these constants. */
	private static final String[] HEADER_NAMES = { "destination", "content-length", "content-type", "receipt", "id",
			"accept-version", "host", "heart-beat", "login", "passcode", "ack" };

	private State state = State.BETWEEN_FRAMES;

	private final LineBuffer line = new LineBuffer();

	private int headerBytes;

	private String command;

	private Map<String, String> headers;

	/** The body of a frame without content-length, read up to its NUL. */
	private ByteArrayOutputStream body;

	/** The body of a frame with content-length, filled in place. */
	private byte[] sizedBody;

	private long remaining;

	private boolean tooLarge;

	StompFrameReader(int maxHeaderBytes, int maxBodyBytes) {
		this.maxHeaderBytes = maxHeaderBytes;
		this.maxBodyBytes = maxBodyBytes;
	}

	/** Receives each complete frame; returns {@code false} to stop reading. */
	@FunctionalInterface
	interface FrameSink {

		boolean accept(StompFrame frame);

	}

	/**
	 * Reads the bytes, handing every frame completed by them to the sink.
	 * @return {@code false} if the sink asked to stop
	 * @throws MalformedFrameException if the bytes are not STOMP
	 */
	boolean read(ByteBuffer bytes, FrameSink sink) {
		while (bytes.hasRemaining()) {
			switch (this.state) {
				case BETWEEN_FRAMES -> {
					byte b = bytes.get();
					if (b != LF && b != CR) {
						startFrame();
						lineByte(b);
					}
				}
				case HEADER_LINES -> {
					byte b = bytes.get();
					if (b == LF) {
						endLine();
					}
					else {
						lineByte(b);
					}
				}
				case BODY_BY_LENGTH -> {
					int n = (int) Math.min(this.remaining, bytes.remaining());
					bytes.get(this.sizedBody, this.sizedBody.length - (int) this.remaining, n);
					this.remaining -= n;
					if (this.remaining == 0) {
						this.state = State.EXPECT_NUL;
					}
				}
				case SKIP_BY_LENGTH -> {
					int n = (int) Math.min(this.remaining, bytes.remaining());
					bytes.position(bytes.position() + n);
					this.remaining -= n;
					if (this.remaining == 0) {
						this.state = State.EXPECT_NUL;
					}
				}
				case BODY_TO_NUL -> {
					byte b = bytes.get();
					if (b == NUL) {
						if (!emit(sink)) {
							return false;
						}
					}
					else if (this.body.size() >= this.maxBodyBytes) {
						this.tooLarge = true;
						this.body = null;
						this.state = State.SKIP_TO_NUL;
					}
					else {
						this.body.write(b);
					}
				}
				case SKIP_TO_NUL -> {
					if (bytes.get() == NUL && !emit(sink)) {
						return false;
					}
				}
				case EXPECT_NUL -> {
					if (bytes.get() != NUL) {
						throw new MalformedFrameException("The frame does not end with NUL after content-length bytes");
					}
					if (!emit(sink)) {
						return false;
					}
				}
			}
		}
		return true;
	}

	/** Whether part of a frame has been read and the rest is still to come. */
	boolean inFrame() {
		return this.state != State.BETWEEN_FRAMES;
	}

	private void startFrame() {
		this.state = State.HEADER_LINES;
		this.headerBytes = 0;
		this.command = null;
		this.headers = new HashMap<>();
		this.line.reset();
		this.body = null;
		this.sizedBody = null;
		this.tooLarge = false;
	}

	private void lineByte(byte b) {
		if (++this.headerBytes > this.maxHeaderBytes) {
			throw new MalformedFrameException(
					"The frame's command and headers are longer than " + this.maxHeaderBytes + " bytes");
		}
		if (b == NUL) {
			throw new MalformedFrameException("The frame ended before its headers did");
		}
		this.line.write(b);
	}

	/**
	 * A command or header line is complete. Read from the line's bytes without copying
	 * them first, with the usual command and header names as constants: this runs for
	 * every line of every frame a client sends.
	 */
	private void endLine() {
		byte[] raw = this.line.bytes();
		int length = this.line.size();
		this.line.reset();
		if (length > 0 && raw[length - 1] == CR) {
			length--;
		}
		if (this.command == null) {
			this.command = known(COMMANDS, raw, 0, length);
			return;
		}
		if (length == 0) {
			startBody();
			return;
		}
		int colon = indexOf(raw, length, (byte) ':');
		if (colon <= 0) {
			throw new MalformedFrameException("A header line has no name or no colon");
		}
		boolean escaped = !"CONNECT".equals(this.command) && !"STOMP".equals(this.command);
		String name = known(HEADER_NAMES, raw, 0, colon);
		String value = new String(raw, colon + 1, length - colon - 1, StandardCharsets.UTF_8);
		this.headers.putIfAbsent(escaped ? unescape(name) : name, escaped ? unescape(value) : value);
	}

	/** The constant among {@code names} spelled by the bytes, or a new string of them. */
	private static String known(String[] names, byte[] bytes, int from, int length) {
		for (String name : names) {
			if (name.length() == length && spells(name, bytes, from)) {
				return name;
			}
		}
		return new String(bytes, from, length, StandardCharsets.UTF_8);
	}

	private static boolean spells(String ascii, byte[] bytes, int from) {
		for (int i = 0; i < ascii.length(); i++) {
			if (bytes[from + i] != ascii.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	private static int indexOf(byte[] bytes, int length, byte wanted) {
		for (int i = 0; i < length; i++) {
			if (bytes[i] == wanted) {
				return i;
			}
		}
		return -1;
	}

	private void startBody() {
		String contentLength = this.headers.get("content-length");
		if (contentLength == null) {
			this.body = new ByteArrayOutputStream(64);
			this.state = State.BODY_TO_NUL;
			return;
		}
		long length = parseLength(contentLength);
		this.remaining = length;
		if (length > this.maxBodyBytes) {
			this.tooLarge = true;
			this.state = State.SKIP_BY_LENGTH;
		}
		else {
			this.sizedBody = new byte[(int) length];
			this.state = (length == 0) ? State.EXPECT_NUL : State.BODY_BY_LENGTH;
		}
	}

	private static long parseLength(String value) {
		try {
			long length = Long.parseLong(value.trim());
			if (length >= 0) {
				return length;
			}
		}
		catch (NumberFormatException ex) {
			// answered below
		}
		throw new MalformedFrameException("content-length is not a non-negative number");
	}

	private boolean emit(FrameSink sink) {
		byte[] bytes = (this.sizedBody != null) ? this.sizedBody
				: (this.body != null) ? this.body.toByteArray() : new byte[0];
		StompFrame frame = new StompFrame(this.command, this.headers, bytes, this.tooLarge);
		this.state = State.BETWEEN_FRAMES;
		this.headers = null;
		this.body = null;
		this.sizedBody = null;
		return sink.accept(frame);
	}

	/** Decodes the escapes of STOMP 1.2 header names and values. */
	static String unescape(String text) {
		if (text.indexOf('\\') < 0) {
			return text;
		}
		StringBuilder result = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c != '\\') {
				result.append(c);
				continue;
			}
			if (++i == text.length()) {
				throw new MalformedFrameException("A header ends with a lone backslash");
			}
			switch (text.charAt(i)) {
				case 'r' -> result.append('\r');
				case 'n' -> result.append('\n');
				case 'c' -> result.append(':');
				case '\\' -> result.append('\\');
				default -> throw new MalformedFrameException("A header has an undefined escape \\" + text.charAt(i));
			}
		}
		return result.toString();
	}

	/** Bytes that are not a STOMP frame; the connection gets an ERROR and is closed. */
	static final class MalformedFrameException extends RuntimeException {

		MalformedFrameException(String message) {
			super(message, null, false, false);
		}

	}

	/**
	 * The bytes of the current line, read in place (a plain array: the methods of
	 * {@link ByteArrayOutputStream} take a lock for every byte).
	 */
	private static final class LineBuffer {

		private byte[] bytes = new byte[128];

		private int size;

		void write(byte b) {
			if (this.size == this.bytes.length) {
				this.bytes = Arrays.copyOf(this.bytes, this.size * 2);
			}
			this.bytes[this.size++] = b;
		}

		byte[] bytes() {
			return this.bytes;
		}

		int size() {
			return this.size;
		}

		void reset() {
			this.size = 0;
		}

	}

}
