package dev.roomkeeper.bench;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A lean STOMP 1.2 client for many connections over {@link WebSocketClient} (non-blocking
 * sockets on a few selector threads).
 * <p>
 * After the upgrade (subprotocol {@code v12.stomp}) the client sends CONNECT with the
 * given headers and one SUBSCRIBE per destination (ids 0, 1, ...) in one WebSocket
 * message, then hands every STOMP frame the server sends to the {@link Handler}, on the
 * connection's selector thread. STOMP frames end at NUL; a WebSocket message may hold
 * several, and a frame may span messages. Frame bodies are taken as text without NUL (no
 * {@code content-length} handling), which is what the server sends.
 */
final class StompWebSocketClient implements AutoCloseable {

	private final WebSocketClient webSocket;

	StompWebSocketClient(int selectorThreads) throws IOException {
		this.webSocket = new WebSocketClient(selectorThreads, "stomp-selector");
	}

	/**
	 * Opens a connection to {@code ws://host:port/path}; the outcome arrives at the
	 * handler.
	 * @param uri the WebSocket address
	 * @param connectHeaders the headers of the STOMP CONNECT frame
	 * @param destinations the destinations to subscribe to, in this order
	 * @param handler receives the frames and the end of the connection
	 * @return the connection, not yet open
	 */
	Connection connect(URI uri, Map<String, String> connectHeaders, List<String> destinations, Handler handler) {
		return connectAndSubscribe(uri, connectHeaders,
				destinations.stream().map((destination) -> new Subscription(destination, Map.of())).toList(), handler);
	}

	/**
	 * Like {@link #connect}, with headers of its own on each SUBSCRIBE (after {@code id}
	 * and {@code destination}), such as {@code since-seq} and {@code epoch} to resume.
	 * @param uri the WebSocket address
	 * @param connectHeaders the headers of the STOMP CONNECT frame
	 * @param subscriptions the subscriptions, in this order (ids 0, 1, ...)
	 * @param handler receives the frames and the end of the connection
	 * @return the connection, not yet open
	 */
	Connection connectAndSubscribe(URI uri, Map<String, String> connectHeaders, List<Subscription> subscriptions,
			Handler handler) {
		StringBuilder stomp = new StringBuilder("CONNECT\n");
		connectHeaders.forEach((name, value) -> stomp.append(name).append(':').append(value).append('\n'));
		stomp.append("\n\0");
		for (int id = 0; id < subscriptions.size(); id++) {
			stomp.append("SUBSCRIBE\nid:")
				.append(id)
				.append("\ndestination:")
				.append(subscriptions.get(id).destination());
			subscriptions.get(id)
				.headers()
				.forEach((name, value) -> stomp.append('\n').append(name).append(':').append(value));
			stomp.append("\n\n\0");
		}
		Connection connection = new Connection(stomp.toString(), handler);
		connection.socket = this.webSocket.connect(uri, "v12.stomp", connection);
		return connection;
	}

	@Override
	public void close() {
		this.webSocket.close();
	}

	/**
	 * One SUBSCRIBE of the opening message.
	 *
	 * @param destination the destination
	 * @param headers more headers, in iteration order (values without newline or colon)
	 */
	record Subscription(String destination, Map<String, String> headers) {
	}

	/** Receives what happens on one connection, on its selector thread. */
	interface Handler {

		/**
		 * A STOMP frame from the server.
		 * @param connection the connection
		 * @param command the command line (e.g. {@code MESSAGE})
		 * @param frame the whole frame without its NUL: command, headers and body
		 */
		void onFrame(Connection connection, String command, String frame);

		/**
		 * The connection ended (failed to connect, failed handshake, closed by the
		 * server, I/O error); called at most once, never after
		 * {@link Connection#close()}.
		 * @param connection the connection
		 * @param reason what happened
		 */
		void onClosed(Connection connection, String reason);

	}

	/** One WebSocket connection carrying STOMP. */
	static final class Connection implements WebSocketClient.Listener {

		private final String stompOpening;

		private final Handler handler;

		/** Text of a STOMP frame whose NUL has not arrived yet. */
		private final StringBuilder partialFrame = new StringBuilder();

		private volatile WebSocketClient.Connection socket;

		private Connection(String stompOpening, Handler handler) {
			this.stompOpening = stompOpening;
			this.handler = handler;
		}

		/** Sends a STOMP SEND frame; may be called from any thread once open. */
		void send(String destination, String contentType, String body) {
			this.socket
				.sendText("SEND\ndestination:" + destination + "\ncontent-type:" + contentType + "\n\n" + body + "\0");
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
			connection.sendText(this.stompOpening);
		}

		/** Splits a text message into STOMP frames at NUL, keeping an unfinished one. */
		@Override
		public void onText(WebSocketClient.Connection connection, String message) {
			String text = message;
			if (this.partialFrame.length() > 0) {
				text = this.partialFrame.append(text).toString();
				this.partialFrame.setLength(0);
			}
			int from = 0;
			for (int end = text.indexOf('\0'); end >= 0 && connection.isOpen(); end = text.indexOf('\0', from)) {
				String frame = text.substring(from, end).stripLeading();
				from = end + 1;
				if (!frame.isEmpty()) {
					int newline = frame.indexOf('\n');
					String command = ((newline < 0) ? frame : frame.substring(0, newline)).strip();
					this.handler.onFrame(this, command, frame);
				}
			}
			if (from < text.length() && !text.substring(from).isBlank()) {
				this.partialFrame.append(text, from, text.length());
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
