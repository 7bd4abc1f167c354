package dev.roomkeeper.bench;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server side of a WebSocket, written out by hand on a blocking {@link Socket}, for
 * the tests of the benchmark's clients: the upgrade, reading masked client frames and
 * writing server frames of any shape.
 */
final class RawWebSocketPeer {

	private RawWebSocketPeer() {
	}

	/**
	 * Reads the upgrade request, checks its target and subprotocol (none when null), and
	 * answers 101 with the right or a wrong {@code Sec-WebSocket-Accept}.
	 */
	static void upgrade(Socket socket, boolean rightAccept, String target, String subprotocol) throws Exception {
		String request = readRequest(socket);
		assertThat(request).startsWith("GET " + target + " HTTP/1.1\r\n")
			.contains("\r\nUpgrade: websocket\r\n", "\r\nSec-WebSocket-Version: 13\r\n");
		if (subprotocol != null) {
			assertThat(request).contains("\r\nSec-WebSocket-Protocol: " + subprotocol + "\r\n");
		}
		else {
			assertThat(request).doesNotContain("Sec-WebSocket-Protocol");
		}
		String key = request.replaceAll("(?s).*Sec-WebSocket-Key: ([^\r]+)\r\n.*", "$1");
		byte[] digest = MessageDigest.getInstance("SHA-1")
			.digest((key + (rightAccept ? "258EAFA5-E914-47DA-95CA-C5AB0DC85B11" : "")).getBytes());
		socket.getOutputStream()
			.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
					+ "Sec-WebSocket-Accept: " + Base64.getEncoder().encodeToString(digest) + "\r\n\r\n")
				.getBytes());
	}

	static String readRequest(Socket socket) throws IOException {
		InputStream in = socket.getInputStream();
		ByteArrayOutputStream request = new ByteArrayOutputStream();
		while (!request.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
			request.write(in.read());
		}
		return request.toString(StandardCharsets.ISO_8859_1);
	}

	static String readClientFrame(Socket socket) throws IOException {
		return new String(readClientBytes(socket), StandardCharsets.UTF_8);
	}

	/** Reads one client frame, which must be masked and final, and unmasks it. */
	static byte[] readClientBytes(Socket socket) throws IOException {
		socket.setSoTimeout(5000);
		DataInputStream in = new DataInputStream(socket.getInputStream());
		int first = in.readUnsignedByte();
		int second = in.readUnsignedByte();
		assertThat(first & 0x80).as("FIN").isNotZero();
		assertThat(second & 0x80).as("mask bit").isNotZero();
		long length = second & 0x7f;
		length = (length == 126) ? in.readUnsignedShort() : (length == 127) ? in.readLong() : length;
		byte[] mask = in.readNBytes(4);
		byte[] payload = in.readNBytes((int) length);
		for (int i = 0; i < payload.length; i++) {
			payload[i] ^= mask[i & 3];
		}
		return payload;
	}

	static byte[] serverFrame(boolean fin, int opcode, String text) {
		return serverFrame(fin, opcode, text.getBytes(StandardCharsets.UTF_8));
	}

	static byte[] serverFrame(boolean fin, int opcode, byte[] payload) {
		ByteBuffer frame = ByteBuffer.allocate(10 + payload.length);
		frame.put((byte) ((fin ? 0x80 : 0) | opcode));
		if (payload.length < 126) {
			frame.put((byte) payload.length);
		}
		else if (payload.length < 65536) {
			frame.put((byte) 126).putShort((short) payload.length);
		}
		else {
			frame.put((byte) 127).putLong(payload.length);
		}
		frame.put(payload);
		return Arrays.copyOf(frame.array(), frame.position());
	}

}
