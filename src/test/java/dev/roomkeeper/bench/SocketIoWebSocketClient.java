package dev.roomkeeper.bench;

import java.io.IOException;
import java.net.URI;

/**
 * A lean Socket.IO 4 client (Engine.IO protocol 4, WebSocket transport only, the default
 * namespace, no acknowledgements) for many connections over {@link WebSocketClient}.
 * <p>
 * It opens {@code ws://host:port/socket.io/?EIO=4&transport=websocket}; on the Engine.IO
 * open packet ({@code 0{...}}) it sends the Socket.IO connect packet ({@code 40}),
 * answers every ping ({@code 2}) with a pong ({@code 3}), reports the namespace
 * connection ({@code 40{...}}) and every event ({@code 42["name",...]}) to the
 * {@link Handler}, on the connection's selector thread, and ends the connection on a
 * connect error ({@code 44}) or a close ({@code 1}, {@code 41}). Over WebSocket one
 * message is one packet.
 */
final class SocketIoWebSocketClient implements AutoCloseable {

	private static final String PATH = "/socket.io/?EIO=4&transport=websocket";

	private final WebSocketClient webSocket;

	SocketIoWebSocketClient(int selectorThreads) throws IOException {
		this.webSocket = new WebSocketClient(selectorThreads, "socketio-selector");
	}

	/**
	 * Opens a connection to a Socket.IO server; the outcome arrives at the handler.
	 * @param server the server's address ({@code ws://host:port}; a path is ignored)
	 * @param handler receives the connection, the events and the end of the connection
	 * @return the connection, not yet open
	 */
	Connection connect(URI server, Handler handler) {
		Connection connection = new Connection(handler);
		URI uri = URI.create("ws://" + server.getHost() + ":" + server.getPort() + PATH);
		connection.socket = this.webSocket.connect(uri, null, connection);
		return connection;
	}

	@Override
	public void close() {
		this.webSocket.close();
	}

	/** Receives what happens on one connection, on its selector thread. */
	interface Handler {

		/**
		 * The default namespace accepted the connection: events may be emitted.
		 * @param connection the connection
		 */
		void onConnected(Connection connection);

		/**
		 * An event from the server.
		 * @param connection the connection
		 * @param event the event name
		 * @param packet the whole packet, {@code 42["name",...]}
		 */
		void onEvent(Connection connection, String event, String packet);

		/**
		 * The connection ended (failed to connect, connect error, closed by the server,
		 * I/O error); called at most once, never after {@link Connection#close()}.
		 * @param connection the connection
		 * @param reason what happened
		 */
		void onClosed(Connection connection, String reason);

	}

	/** One WebSocket connection carrying Socket.IO. */
	static final class Connection implements WebSocketClient.Listener {

		private final Handler handler;

		private volatile WebSocketClient.Connection socket;

		private Connection(Handler handler) {
			this.handler = handler;
		}

		/**
		 * Emits an event; may be called from any thread once connected.
		 * @param event the event name (no quotes or backslashes)
		 * @param argument the event's one argument, as JSON
		 */
		void emit(String event, String argument) {
			this.socket.sendText("42[\"" + event + "\"," + argument + "]");
		}

		/** How far the connection got: connecting, handshaking, open or closed. */
		String stage() {
			return this.socket.stage();
		}

		/** Closes the connection without a close handshake; no call to the handler. */
		void close() {
			this.socket.close();
		}

		@Override
		public void onOpen(WebSocketClient.Connection connection) {
			this.socket = connection;
		}

		@Override
		public void onText(WebSocketClient.Connection connection, String packet) {
			if (packet.startsWith("42[\"")) {
				int end = packet.indexOf('"', 4);
				this.handler.onEvent(this, packet.substring(4, end), packet);
			}
			else if (packet.startsWith("2")) {
				connection.sendText("3" + packet.substring(1));
			}
			else if (packet.startsWith("0")) {
				connection.sendText("40");
			}
			else if (packet.startsWith("40")) {
				this.handler.onConnected(this);
			}
			else if (packet.startsWith("44") || packet.startsWith("41") || packet.startsWith("1")) {
				connection.close();
				this.handler.onClosed(this, "closed by the server: " + packet);
			}
		}

		@Override
		public void onClosed(WebSocketClient.Connection connection, String reason) {
			// may come before connect() has stored the socket
			this.socket = connection;
			this.handler.onClosed(this, reason);
		}

	}

}
