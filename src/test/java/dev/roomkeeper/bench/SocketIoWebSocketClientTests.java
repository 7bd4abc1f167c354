package dev.roomkeeper.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SocketIoWebSocketClient} against a hand-written Engine.IO 4 server on a real
 * socket: the open and connect packets, ping and pong, events and a connect error.
 */
class SocketIoWebSocketClientTests {

	private static final String TARGET = "/socket.io/?EIO=4&transport=websocket";

	private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

	private final BlockingQueue<String> closes = new LinkedBlockingQueue<>();

	private ServerSocket server;

	private SocketIoWebSocketClient client;

	@BeforeEach
	void start() throws IOException {
		this.server = new ServerSocket(0);
		this.client = new SocketIoWebSocketClient(1);
	}

	@AfterEach
	void stop() throws IOException {
		this.client.close();
		this.server.close();
	}

	@Test
	void openThenConnectsTheNamespaceAnswersPingsAndReportsEvents() throws Exception {
		SocketIoWebSocketClient.Connection connection = connect();
		try (Socket socket = this.server.accept()) {
			RawWebSocketPeer.upgrade(socket, true, TARGET, null);
			OutputStream out = socket.getOutputStream();
			out.write(RawWebSocketPeer.serverFrame(true, 0x1,
					"0{\"sid\":\"a\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000}"));
			assertThat(RawWebSocketPeer.readClientFrame(socket)).isEqualTo("40");

			out.write(RawWebSocketPeer.serverFrame(true, 0x1, "40{\"sid\":\"b\"}"));
			assertThat(next()).isEqualTo("connected");
			out.write(RawWebSocketPeer.serverFrame(true, 0x1, "2"));
			assertThat(RawWebSocketPeer.readClientFrame(socket)).isEqualTo("3");

			out.write(RawWebSocketPeer.serverFrame(true, 0x1, "42[\"message\",{\"type\":\"message\",\"t\":1}]"));
			assertThat(next()).isEqualTo("message 42[\"message\",{\"type\":\"message\",\"t\":1}]");
			connection.emit("broadcast", "{\"data\":{\"é\":1}}");
			assertThat(RawWebSocketPeer.readClientFrame(socket)).isEqualTo("42[\"broadcast\",{\"data\":{\"é\":1}}]");
		}
	}

	@Test
	void connectErrorThenReportedAsClosed() throws Exception {
		connect();
		try (Socket socket = this.server.accept()) {
			RawWebSocketPeer.upgrade(socket, true, TARGET, null);
			OutputStream out = socket.getOutputStream();
			out.write(RawWebSocketPeer.serverFrame(true, 0x1, "0{\"sid\":\"a\"}"));
			RawWebSocketPeer.readClientFrame(socket);
			out.write(RawWebSocketPeer.serverFrame(true, 0x1, "44{\"message\":\"no\"}"));

			assertThat(this.closes.poll(5, TimeUnit.SECONDS)).isEqualTo("closed by the server: 44{\"message\":\"no\"}");
		}
	}

	private SocketIoWebSocketClient.Connection connect() {
		URI uri = URI.create("ws://127.0.0.1:" + this.server.getLocalPort());
		return this.client.connect(uri, new SocketIoWebSocketClient.Handler() {

			@Override
			public void onConnected(SocketIoWebSocketClient.Connection connection) {
				SocketIoWebSocketClientTests.this.events.add("connected");
			}

			@Override
			public void onEvent(SocketIoWebSocketClient.Connection connection, String event, String packet) {
				SocketIoWebSocketClientTests.this.events.add(event + " " + packet);
			}

			@Override
			public void onClosed(SocketIoWebSocketClient.Connection connection, String reason) {
				SocketIoWebSocketClientTests.this.closes.add(reason);
			}

		});
	}

	private String next() throws InterruptedException {
		return this.events.poll(5, TimeUnit.SECONDS);
	}

}
