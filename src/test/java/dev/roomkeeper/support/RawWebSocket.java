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
			socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
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
		try {
			ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
			frame.write((fin ? 0x80 : 0) | opcode);
			if (payload.length < 126) {
				frame.write(0x80 | payload.length);
			}
			else if (payload.length < 65536) {
				frame.write(0x80 | 126);
				frame.write(payload.length >>> 8);
				frame.write(payload.length);
			}
			else {
				frame.write(0x80 | 127);
				for (int shift = 56; shift >= 0; shift -= 8) {
					frame.write((int) ((long) payload.length >>> shift));
				}
			}
			byte[] mask = new byte[4];
			RANDOM.nextBytes(mask);
			frame.write(mask);
			for (int i = 0; i < payload.length; i++) {
				frame.write(payload[i] ^ mask[i % 4]);
			}
			this.out.write(frame.toByteArray());
			this.out.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Reads the next text message (joining fragments), or {@code null} when the server
	 * closed the connection.
	 */
	public String readText() {
		try {
			ByteArrayOutputStream message = new ByteArrayOutputStream();
			while (true) {
				int first = this.in.read();
				if (first == -1) {
					return null;
				}
				int opcode = first & 0x0F;
				long length = this.in.readUnsignedByte() & 0x7F;
				if (length == 126) {
					length = this.in.readUnsignedShort();
				}
				else if (length == 127) {
					length = this.in.readLong();
				}
				byte[] payload = new byte[(int) length];
				this.in.readFully(payload);
				if (opcode == 0x8) {
					return null;
				}
				if (opcode == 0x9 || opcode == 0xA) {
					continue;
				}
				message.write(payload);
				if ((first & 0x80) != 0) {
					return message.toString(StandardCharsets.UTF_8);
				}
			}
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
