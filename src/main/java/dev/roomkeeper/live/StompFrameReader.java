package dev.roomkeeper.live;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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

	private State state = State.BETWEEN_FRAMES;

	private final ByteArrayOutputStream line = new ByteArrayOutputStream(128);

	private int headerBytes;

	private String command;

	private Map<String, String> headers;

	private ByteArrayOutputStream body;

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
					copy(bytes, n, this.body);
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

	private static void copy(ByteBuffer from, int length, ByteArrayOutputStream to) {
		if (from.hasArray()) {
			to.write(from.array(), from.arrayOffset() + from.position(), length);
			from.position(from.position() + length);
		}
		else {
			byte[] chunk = new byte[length];
			from.get(chunk);
			to.write(chunk, 0, length);
		}
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

	private void endLine() {
		byte[] raw = this.line.toByteArray();
		this.line.reset();
		int length = raw.length;
		if (length > 0 && raw[length - 1] == CR) {
			length--;
		}
		String text = new String(raw, 0, length, StandardCharsets.UTF_8);
		if (this.command == null) {
			this.command = text;
			return;
		}
		if (text.isEmpty()) {
			startBody();
			return;
		}
		int colon = text.indexOf(':');
		if (colon <= 0) {
			throw new MalformedFrameException("A header line has no name or no colon");
		}
		boolean escaped = !"CONNECT".equals(this.command) && !"STOMP".equals(this.command);
		String name = escaped ? unescape(text.substring(0, colon)) : text.substring(0, colon);
		String value = escaped ? unescape(text.substring(colon + 1)) : text.substring(colon + 1);
		this.headers.putIfAbsent(name, value);
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
			this.body = new ByteArrayOutputStream((int) length);
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
		byte[] bytes = (this.body != null) ? this.body.toByteArray() : new byte[0];
		StompFrame frame = new StompFrame(this.command, this.headers, bytes, this.tooLarge);
		this.state = State.BETWEEN_FRAMES;
		this.headers = null;
		this.body = null;
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

}
