package dev.roomkeeper.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bare WebSocket client on a plain socket, for what a well-behaved client library will
 * not do: send malformed STOMP, stay silent, or never read at all (with a tiny receive
 * buffer, so the server's writes stall quickly).
 */
public final class RawWebSocket implements AutoCloseable {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final Socket socket;

	private final DataInputStream in;

	private final OutputStream out;

	private final int status;

	private RawWebSocket(Socket socket, DataInputStream in, int status) throws IOException {
		this.socket = socket;
		this.in = in;
		this.out = socket.getOutputStream();
		this.status = status;
	}

	/** Opens {@code /ws} with the given extra handshake headers. */
	public static RawWebSocket open(int port, Map<String, String> headers) {
		return open(port, headers, 0);
	}

	/**
	 * Opens {@code /ws}; a positive {@code receiveBuffer} sets the socket's receive
	 * buffer (before connecting, so it bounds the TCP window).
	 */
	public static RawWebSocket open(int port, Map<String, String> headers, int receiveBuffer) {
		return open(port, headers, receiveBuffer, new byte[0]);
	}

	/**
	 * Opens {@code /ws} and sends the given bytes in the same write as the handshake
	 * request, before any answer (as a client may).
	 */
	public static RawWebSocket openSending(int port, byte[] withHandshake) {
		return open(port, Map.of(), 0, withHandshake);
	}

	private static RawWebSocket open(int port, Map<String, String> headers, int receiveBuffer, byte[] withHandshake) {
		try {
			Socket socket = new Socket();
			if (receiveBuffer > 0) {
				socket.setReceiveBufferSize(receiveBuffer);
			}
			socket.connect(new InetSocketAddress("localhost", port), 5000);
			socket.setSoTimeout(10_000);
			byte[] nonce = new byte[16];
			RANDOM.nextBytes(nonce);
			Map<String, String> all = new LinkedHashMap<>();
			all.put("Host", "localhost:" + port);
			all.put("Upgrade", "websocket");
			all.put("Connection", "Upgrade");
			all.put("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(nonce));
			all.put("Sec-WebSocket-Version", "13");
			all.putAll(headers);
			StringBuilder request = new StringBuilder("GET /ws HTTP/1.1\r\n");
			all.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
			request.append("\r\n");
			ByteArrayOutputStream requestBytes = new ByteArrayOutputStream();
			requestBytes.writeBytes(request.toString().getBytes(StandardCharsets.US_ASCII));
			requestBytes.writeBytes(withHandshake);
			socket.getOutputStream().write(requestBytes.toByteArray());
			DataInputStream in = new DataInputStream(socket.getInputStream());
			String statusLine = readLine(in);
			while (!readLine(in).isEmpty()) {
				// skip the response headers
			}
			int status = Integer.parseInt(statusLine.split(" ")[1]);
			return new RawWebSocket(socket, in, status);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != -1 && b != '\n') {
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(StandardCharsets.US_ASCII);
	}

	/** The HTTP status of the handshake (101 when upgraded). */
	public int status() {
		return this.status;
	}

	/** Sends one text message (masked, as a client must). */
	public void sendText(String text) {
		sendFrame(0x1, text.getBytes(StandardCharsets.UTF_8), true);
	}

	/** Sends a text message in two fragments, split at a byte offset. */
	public void sendTextInTwoParts(String text, int splitAt) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		sendFrame(0x1, java.util.Arrays.copyOfRange(bytes, 0, splitAt), false);
		sendFrame(0x0, java.util.Arrays.copyOfRange(bytes, splitAt, bytes.length), true);
	}

	private void sendFrame(int opcode, byte[] payload, boolean fin) {
		sendRawFrame((fin ? 0x80 : 0) | opcode, payload, true);
	}

	/** Sends one frame as given: its first byte (FIN, RSV, opcode), masked or not. */
	public void sendRawFrame(int firstByte, byte[] payload, boolean masked) {
		try {
			this.out.write(encodeFrame(firstByte, payload, masked));
			this.out.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Sends bytes as given (a frame header that lies, a frame cut short, ...). */
	public void sendRawBytes(byte[] bytes) {
		try {
			this.out.write(bytes);
			this.out.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A frame as a client sends it. */
	public static byte[] encodeFrame(int firstByte, byte[] payload, boolean masked) {
		int maskBit = masked ? 0x80 : 0;
		ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
		frame.write(firstByte);
		if (payload.length < 126) {
			frame.write(maskBit | payload.length);
		}
		else if (payload.length < 65536) {
			frame.write(maskBit | 126);
			frame.write(payload.length >>> 8);
			frame.write(payload.length);
		}
		else {
			frame.write(maskBit | 127);
			for (int shift = 56; shift >= 0; shift -= 8) {
				frame.write((int) ((long) payload.length >>> shift));
			}
		}
		byte[] mask = new byte[4];
		if (masked) {
			RANDOM.nextBytes(mask);
			frame.writeBytes(mask);
		}
		for (int i = 0; i < payload.length; i++) {
			frame.write(payload[i] ^ mask[i % 4]);
		}
		return frame.toByteArray();
	}

	/**
	 * Reads the next frame of any kind, control frames included, or {@code null} when the
	 * connection ended.
	 */
	public Frame readFrame() {
		try {
			int first = this.in.read();
			if (first == -1) {
				return null;
			}
			long length = this.in.readUnsignedByte() & 0x7F;
			if (length == 126) {
				length = this.in.readUnsignedShort();
			}
			else if (length == 127) {
				length = this.in.readLong();
			}
			byte[] payload = new byte[(int) length];
			this.in.readFully(payload);
			return new Frame(first, payload);
		}
		catch (java.io.EOFException | java.net.SocketException ex) {
			return null;
		}
		catch (SocketTimeoutException ex) {
			throw new AssertionError("Nothing arrived from the server in time", ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Reads frames until a close frame; returns its code, or -1 if none came. */
	public int readCloseCode() {
		Frame frame;
		while ((frame = readFrame()) != null) {
			if (frame.opcode() == 0x8) {
				return frame.closeCode();
			}
		}
		return -1;
	}

	/** Whether the server has closed the connection (reads until it has). */
	public boolean isClosedByServer() {
		return readFrame() == null;
	}

	/**
	 * A frame from the server.
	 *
	 * @param firstByte FIN, RSV bits and opcode
	 * @param payload the payload
	 */
	public record Frame(int firstByte, byte[] payload) {

		public int opcode() {
			return this.firstByte & 0x0F;
		}

		public boolean fin() {
			return (this.firstByte & 0x80) != 0;
		}

		public int closeCode() {
			return (this.payload.length < 2) ? 1005 : ((this.payload[0] & 0xFF) << 8) | (this.payload[1] & 0xFF);
		}

		public String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

	}

	/**
	 * Reads the next text message (joining fragments), or {@code null} when the server
	 * closed the connection.
	 */
	public String readText() {
		ByteArrayOutputStream message = new ByteArrayOutputStream();
		while (true) {
			Frame frame = readFrame();
			if (frame == null || frame.opcode() == 0x8) {
				return null;
			}
			if (frame.opcode() == 0x9 || frame.opcode() == 0xA) {
				continue;
			}
			message.writeBytes(frame.payload());
			if (frame.fin()) {
				return message.toString(StandardCharsets.UTF_8);
			}
		}
	}

	/**
	 * Reads messages until one contains the text; fails if the connection closes first.
	 */
	public String readUntil(String contained) {
		StringBuilder seen = new StringBuilder();
		while (true) {
			String text = readText();
			if (text == null) {
				throw new AssertionError("Connection closed before \"" + contained + "\" arrived; got: " + seen);
			}
			seen.append(text);
			if (text.contains(contained)) {
				return text;
			}
		}
	}

	/** Reads until the server closes the connection; returns everything read. */
	public String readUntilClosed() {
		StringBuilder seen = new StringBuilder();
		String text;
		while ((text = readText()) != null) {
			seen.append(text);
		}
		return seen.toString();
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

}
