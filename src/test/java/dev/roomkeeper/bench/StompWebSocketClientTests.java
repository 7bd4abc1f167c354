package dev.roomkeeper.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StompWebSocketClient} against a hand-written server on a real socket: the
 * handshake, masked client frames, and server frames of every length, fragmented, with
 * pings and several or partial STOMP frames per message.
 */
class StompWebSocketClientTests {

	private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();

	private final BlockingQueue<String> closes = new LinkedBlockingQueue<>();

	private ServerSocket server;

	private StompWebSocketClient client;

	@BeforeEach
	void start() throws IOException {
		this.server = new ServerSocket(0);
		this.client = new StompWebSocketClient(1);
	}

	@AfterEach
	void stop() throws IOException {
		this.client.close();
		this.server.close();
	}

	@Test
	void connectWhenUpgradedThenSendsConnectAndSubscribesInOneMaskedMessage() throws Exception {
		connect();
		try (Socket socket = this.server.accept()) {
			RawWebSocketPeer.upgrade(socket, true, "/ws", "v12.stomp");

			assertThat(RawWebSocketPeer.readClientFrame(socket)).isEqualTo(
					"CONNECT\naccept-version:1.2\n\n\0SUBSCRIBE\nid:0\ndestination:/a\n\n\0SUBSCRIBE\nid:1\ndestination:/b\n\n\0");
		}
	}

	@Test
	void connectAndSubscribeWithHeadersThenEachSubscribeCarriesItsOwn() throws Exception {
		URI uri = URI.create("ws://127.0.0.1:" + this.server.getLocalPort() + "/ws");
		Map<String, String> resume = new LinkedHashMap<>();
		resume.put("since-seq", "41");
		resume.put("epoch", "3f9a");
		this.client.connectAndSubscribe(uri, Map.of("accept-version", "1.2"),
				List.of(new StompWebSocketClient.Subscription("/a", Map.of()),
						new StompWebSocketClient.Subscription("/b", resume)),
				handler());
		try (Socket socket = this.server.accept()) {
			RawWebSocketPeer.upgrade(socket, true, "/ws", "v12.stomp");

			assertThat(RawWebSocketPeer.readClientFrame(socket)).isEqualTo("CONNECT\naccept-version:1.2\n\n\0"
					+ "SUBSCRIBE\nid:0\ndestination:/a\n\n\0SUBSCRIBE\nid:1\ndestination:/b\nsince-seq:41\nepoch:3f9a\n\n\0");
		}
	}

	@Test
	void serverFramesOfAnyShapeThenEachStompFrameReachesTheHandlerOnce() throws Exception {
		StompWebSocketClient.Connection connection = connect();
		try (Socket socket = this.server.accept()) {
			RawWebSocketPeer.upgrade(socket, true, "/ws", "v12.stomp");
			RawWebSocketPeer.readClientFrame(socket);
			OutputStream out = socket.getOutputStream();
			out.write(RawWebSocketPeer.serverFrame(true, 0x1, "MESSAGE\n\none\0\nMESSAGE\n\ntwo\0"));
			out.write(RawWebSocketPeer.serverFrame(false, 0x1, "MESSAGE\n\nfrag"));
			out.write(RawWebSocketPeer.serverFrame(true, 0x9, "hi"));
			out.write(RawWebSocketPeer.serverFrame(true, 0x0, "mented\0"));
			out.write(RawWebSocketPeer.serverFrame(true, 0x1, "MESSAGE\n\nsp"));
			out.write(RawWebSocketPeer.serverFrame(true, 0x1, "lit\0"));
			out.write(RawWebSocketPeer.serverFrame(true, 0x1, "MESSAGE\n\n" + "x".repeat(300) + "\0"));
			out.write(RawWebSocketPeer.serverFrame(true, 0x1, "MESSAGE\n\n" + "y".repeat(70_000) + "\0"));
			out.flush();

			assertThat(RawWebSocketPeer.readClientFrame(socket)).isEqualTo("hi");
			assertThat(List.of(next(), next(), next(), next(), next(), next())).containsExactly("MESSAGE\n\none",
					"MESSAGE\n\ntwo", "MESSAGE\n\nfragmented", "MESSAGE\n\nsplit", "MESSAGE\n\n" + "x".repeat(300),
					"MESSAGE\n\n" + "y".repeat(70_000));

			connection.send("/app/x", "application/json", "{\"é\":1}");
			assertThat(RawWebSocketPeer.readClientFrame(socket))
				.isEqualTo("SEND\ndestination:/app/x\ncontent-type:application/json\n\n{\"é\":1}\0");
		}
	}

	@Test
	void closeFromServerThenClientAnswersCloseAndReportsIt() throws Exception {
		connect();
		try (Socket socket = this.server.accept()) {
			RawWebSocketPeer.upgrade(socket, true, "/ws", "v12.stomp");
			RawWebSocketPeer.readClientFrame(socket);
			byte[] payload = ByteBuffer.allocate(5).putShort((short) 1001).put("bye".getBytes()).array();
			socket.getOutputStream().write(RawWebSocketPeer.serverFrame(true, 0x8, payload));

			assertThat(RawWebSocketPeer.readClientBytes(socket)).containsExactly(0x03, 0xE9);
			assertThat(this.closes.poll(5, TimeUnit.SECONDS)).isEqualTo("closed by the server: 1001 bye");
		}
	}

	@Test
	void upgradeWithWrongAcceptThenReportedAsFailed() throws Exception {
		connect();
		try (Socket socket = this.server.accept()) {
			RawWebSocketPeer.upgrade(socket, false, "/ws", "v12.stomp");

			assertThat(this.closes.poll(5, TimeUnit.SECONDS)).contains("wrong Sec-WebSocket-Accept");
		}
	}

	@Test
	void refusedUpgradeThenReportedWithTheStatusLine() throws Exception {
		connect();
		try (Socket socket = this.server.accept()) {
			RawWebSocketPeer.readRequest(socket);
			socket.getOutputStream().write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n".getBytes());

			assertThat(this.closes.poll(5, TimeUnit.SECONDS)).contains("HTTP/1.1 403 Forbidden");
		}
	}

	private StompWebSocketClient.Connection connect() {
		URI uri = URI.create("ws://127.0.0.1:" + this.server.getLocalPort() + "/ws");
		return this.client.connect(uri, Map.of("accept-version", "1.2"), List.of("/a", "/b"), handler());
	}

	private StompWebSocketClient.Handler handler() {
		return new StompWebSocketClient.Handler() {

			@Override
			public void onFrame(StompWebSocketClient.Connection connection, String command, String frame) {
				StompWebSocketClientTests.this.frames.add(frame);
			}

			@Override
			public void onClosed(StompWebSocketClient.Connection connection, String reason) {
				StompWebSocketClientTests.this.closes.add(reason);
			}

		};
	}

	private String next() throws InterruptedException {
		return this.frames.poll(5, TimeUnit.SECONDS);
	}

}
