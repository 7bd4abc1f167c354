package dev.roomkeeper.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lean STOMP 1.2 over WebSocket client for many connections: plain non-blocking
 * {@link SocketChannel}s on a few selector threads, the RFC 6455 handshake and framing
 * written out here (client frames masked; server frames of any length, fragmented or not,
 * ping answered with pong, close answered with close). One thread serves thousands of
 * connections, where a {@code java.net.http.WebSocket} costs a few threads' worth of
 * scheduling each.
 * <p>
 * After the upgrade the client sends CONNECT with the given headers and one SUBSCRIBE per
 * destination (ids 0, 1, ...) in one WebSocket message, then hands every STOMP frame the
 * server sends to the {@link Handler}, on the connection's selector thread. STOMP frames
 * end at NUL; a WebSocket message may hold several, and a frame may span messages. Frame
 * bodies are taken as text without NUL (no {@code content-length} handling), which is
 * what the server sends.
 */
final class StompWebSocketClient implements AutoCloseable {

	private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

	private final List<Loop> loops = new ArrayList<>();

	private final AtomicInteger next = new AtomicInteger();

	StompWebSocketClient(int selectorThreads) throws IOException {
		for (int i = 0; i < selectorThreads; i++) {
			Loop loop = new Loop(Selector.open());
			Thread thread = new Thread(loop, "stomp-selector-" + i);
			thread.setDaemon(true);
			thread.start();
			this.loops.add(loop);
		}
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
		Loop loop = this.loops.get(Math.floorMod(this.next.getAndIncrement(), this.loops.size()));
		Connection connection = new Connection(loop, uri, stomp.toString(), handler);
		loop.execute(connection::open);
		return connection;
	}

	@Override
	public void close() {
		this.loops.forEach((loop) -> loop.execute(loop::stop));
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

	/** One selector and the connections it serves. */
	private static final class Loop implements Runnable {

		private final Selector selector;

		private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

		private volatile boolean running = true;

		Loop(Selector selector) {
			this.selector = selector;
		}

		void execute(Runnable task) {
			this.tasks.add(task);
			this.selector.wakeup();
		}

		void stop() {
			this.running = false;
		}

		@Override
		public void run() {
			while (this.running) {
				try {
					this.selector.select(this::process, 1000);
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
				for (Runnable task = this.tasks.poll(); task != null; task = this.tasks.poll()) {
					task.run();
				}
			}
		}

		private void process(SelectionKey key) {
			Connection connection = (Connection) key.attachment();
			try {
				if (key.isConnectable()) {
					connection.finishConnect();
				}
				if (key.isValid() && key.isWritable()) {
					connection.flush();
				}
				if (key.isValid() && key.isReadable()) {
					connection.read();
				}
			}
			catch (IOException | RuntimeException ex) {
				connection.end(ex.toString());
			}
		}

	}

	/** One WebSocket connection carrying STOMP. */
	static final class Connection {

		private enum State {

			CONNECTING, HANDSHAKING, OPEN, CLOSED

		}

		private final Loop loop;

		private final URI uri;

		private final String stompOpening;

		private final Handler handler;

		private final String key = Base64.getEncoder().encodeToString(randomBytes(16));

		private final ArrayDeque<ByteBuffer> outbound = new ArrayDeque<>();

		private final ByteArrayOutputStream fragments = new ByteArrayOutputStream();

		/** Text of a STOMP frame whose NUL has not arrived yet. */
		private final StringBuilder partialFrame = new StringBuilder();

		private ByteBuffer inbound = ByteBuffer.allocate(4096);

		private volatile State state = State.CONNECTING;

		private SocketChannel channel;

		private SelectionKey selectionKey;

		private Connection(Loop loop, URI uri, String stompOpening, Handler handler) {
			this.loop = loop;
			this.uri = uri;
			this.stompOpening = stompOpening;
			this.handler = handler;
		}

		/** Sends a STOMP SEND frame; may be called from any thread once open. */
		void send(String destination, String contentType, String body) {
			sendText("SEND\ndestination:" + destination + "\ncontent-type:" + contentType + "\n\n" + body + "\0");
		}

		/** How far the connection got: connecting, handshaking, open or closed. */
		String stage() {
			return this.state.name().toLowerCase(Locale.ROOT);
		}

		/** Closes the connection without a close handshake; no call to the handler. */
		void close() {
			this.loop.execute(() -> {
				if (this.state != State.CLOSED) {
					this.state = State.CLOSED;
					closeChannel();
				}
			});
		}

		private void open() {
			try {
				this.channel = SocketChannel.open();
				this.channel.configureBlocking(false);
				this.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
				this.selectionKey = this.channel.register(this.loop.selector, SelectionKey.OP_CONNECT, this);
				if (this.channel.connect(new InetSocketAddress(this.uri.getHost(), this.uri.getPort()))) {
					finishConnect();
				}
			}
			catch (IOException | RuntimeException ex) {
				end("connect: " + ex);
			}
		}

		private void finishConnect() throws IOException {
			this.channel.finishConnect();
			this.state = State.HANDSHAKING;
			this.selectionKey.interestOps(SelectionKey.OP_READ);
			String request = "GET " + this.uri.getRawPath() + " HTTP/1.1\r\n" + "Host: " + this.uri.getHost() + ":"
					+ this.uri.getPort() + "\r\n" + "Upgrade: websocket\r\n" + "Connection: Upgrade\r\n"
					+ "Sec-WebSocket-Key: " + this.key + "\r\n" + "Sec-WebSocket-Version: 13\r\n"
					+ "Sec-WebSocket-Protocol: v12.stomp\r\n\r\n";
			write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
		}

		private void read() throws IOException {
			if (this.channel.read(this.inbound) < 0) {
				end("end of stream" + ((this.state == State.HANDSHAKING) ? " during the handshake" : ""));
				return;
			}
			this.inbound.flip();
			int needed = (this.state == State.HANDSHAKING) ? readHandshake() : 0;
			while (this.state == State.OPEN && needed == 0) {
				needed = readFrame();
			}
			this.inbound.compact();
			if (needed > this.inbound.capacity()) {
				if (needed > MAX_MESSAGE_BYTES) {
					throw new IOException("frame of " + needed + " bytes");
				}
				ByteBuffer larger = ByteBuffer.allocate(Math.max(needed, 2 * this.inbound.capacity()));
				this.inbound = larger.put(this.inbound.flip());
			}
		}

		/** Reads the 101 answer; 0 when done, else the buffer size needed to go on. */
		private int readHandshake() throws IOException {
			String head = StandardCharsets.ISO_8859_1.decode(this.inbound.duplicate()).toString();
			int end = head.indexOf("\r\n\r\n");
			if (end < 0) {
				return (this.inbound.remaining() < this.inbound.capacity()) ? -1 : this.inbound.capacity() + 1;
			}
			this.inbound.position(this.inbound.position() + end + 4);
			String[] lines = head.substring(0, end).split("\r\n");
			String accept = null;
			for (String line : lines) {
				int colon = line.indexOf(':');
				if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Sec-WebSocket-Accept")) {
					accept = line.substring(colon + 1).trim();
				}
			}
			if (!lines[0].startsWith("HTTP/1.1 101")) {
				throw new IOException("handshake answered " + lines[0]);
			}
			if (!expectedAccept().equals(accept)) {
				throw new IOException("handshake with a wrong Sec-WebSocket-Accept: " + accept);
			}
			this.state = State.OPEN;
			sendText(this.stompOpening);
			return 0;
		}

		/**
		 * Reads one WebSocket frame; 0 when read, else the buffer size needed to hold it
		 * (-1 if fewer bytes than a header are here).
		 */
		private int readFrame() throws IOException {
			ByteBuffer in = this.inbound;
			int start = in.position();
			int available = in.remaining();
			if (available < 2) {
				return -1;
			}
			int first = in.get(start) & 0xff;
			int second = in.get(start + 1) & 0xff;
			long length = second & 0x7f;
			int header = 2;
			if (length == 126) {
				if (available < 4) {
					return -1;
				}
				length = in.getShort(start + 2) & 0xffff;
				header = 4;
			}
			else if (length == 127) {
				if (available < 10) {
					return -1;
				}
				length = in.getLong(start + 2);
				header = 10;
			}
			boolean masked = (second & 0x80) != 0;
			header += masked ? 4 : 0;
			if (length < 0 || length > MAX_MESSAGE_BYTES) {
				throw new IOException("frame of " + length + " bytes");
			}
			if (available < header + length) {
				return header + (int) length;
			}
			byte[] payload = new byte[(int) length];
			in.position(start + header);
			in.get(payload);
			if (masked) {
				for (int i = 0; i < payload.length; i++) {
					payload[i] ^= in.get(start + header - 4 + (i & 3));
				}
			}
			onFrame((first & 0x80) != 0, first & 0x0f, payload);
			return 0;
		}

		private void onFrame(boolean fin, int opcode, byte[] payload) throws IOException {
			switch (opcode) {
				case 0x0, 0x1, 0x2 -> {
					if (opcode != 0x0 && this.fragments.size() > 0) {
						throw new IOException("a new message before the end of a fragmented one");
					}
					if (fin && this.fragments.size() == 0) {
						onMessage(payload);
					}
					else {
						this.fragments.write(payload);
						if (fin) {
							onMessage(this.fragments.toByteArray());
							this.fragments.reset();
						}
					}
				}
				case 0x8 -> {
					write(frame(0x8, payload.length >= 2 ? new byte[] { payload[0], payload[1] } : new byte[0]));
					int status = (payload.length >= 2) ? ((payload[0] & 0xff) << 8 | (payload[1] & 0xff)) : 1005;
					String reason = (payload.length > 2)
							? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
					end("closed by the server: " + status + " " + reason);
				}
				case 0x9 -> write(frame(0xA, payload));
				case 0xA -> {
					// an unsolicited pong: nothing to do
				}
				default -> throw new IOException("unknown opcode " + opcode);
			}
		}

		/** Splits a text message into STOMP frames at NUL, keeping an unfinished one. */
		private void onMessage(byte[] payload) {
			String text = new String(payload, StandardCharsets.UTF_8);
			if (this.partialFrame.length() > 0) {
				text = this.partialFrame.append(text).toString();
				this.partialFrame.setLength(0);
			}
			int from = 0;
			for (int end = text.indexOf('\0'); end >= 0 && this.state == State.OPEN; end = text.indexOf('\0', from)) {
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

		private void sendText(String text) {
			write(frame(0x1, text.getBytes(StandardCharsets.UTF_8)));
		}

		/** Writes now if nothing is queued, else queues and lets the selector flush. */
		private synchronized void write(ByteBuffer data) {
			if (this.state == State.CLOSED) {
				return;
			}
			try {
				if (this.outbound.isEmpty()) {
					this.channel.write(data);
					if (!data.hasRemaining()) {
						return;
					}
				}
				this.outbound.add(data);
				this.selectionKey.interestOpsOr(SelectionKey.OP_WRITE);
				this.loop.selector.wakeup();
			}
			catch (IOException ex) {
				this.loop.execute(() -> end("write: " + ex));
			}
		}

		private synchronized void flush() throws IOException {
			while (!this.outbound.isEmpty()) {
				ByteBuffer head = this.outbound.peek();
				this.channel.write(head);
				if (head.hasRemaining()) {
					return;
				}
				this.outbound.poll();
			}
			this.selectionKey.interestOpsAnd(~SelectionKey.OP_WRITE);
		}

		/** Ends the connection and tells the handler, once; on the selector thread. */
		private void end(String reason) {
			if (this.state == State.CLOSED) {
				return;
			}
			this.state = State.CLOSED;
			closeChannel();
			this.handler.onClosed(this, reason);
		}

		private void closeChannel() {
			try {
				if (this.channel != null) {
					this.channel.close();
				}
			}
			catch (IOException ex) {
				// closing anyway
			}
		}

		private String expectedAccept() {
			try {
				byte[] digest = MessageDigest.getInstance("SHA-1")
					.digest((this.key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
				return Base64.getEncoder().encodeToString(digest);
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

		/** A masked client frame with FIN set. */
		private static ByteBuffer frame(int opcode, byte[] payload) {
			int length = payload.length;
			int extended = (length < 126) ? 0 : (length < 65536) ? 2 : 8;
			ByteBuffer frame = ByteBuffer.allocate(2 + extended + 4 + length);
			frame.put((byte) (0x80 | opcode));
			if (extended == 0) {
				frame.put((byte) (0x80 | length));
			}
			else if (extended == 2) {
				frame.put((byte) (0x80 | 126)).putShort((short) length);
			}
			else {
				frame.put((byte) (0x80 | 127)).putLong(length);
			}
			byte[] mask = randomBytes(4);
			frame.put(mask);
			for (int i = 0; i < length; i++) {
				frame.put((byte) (payload[i] ^ mask[i & 3]));
			}
			return frame.flip();
		}

		private static byte[] randomBytes(int count) {
			byte[] bytes = new byte[count];
			ThreadLocalRandom.current().nextBytes(bytes);
			return bytes;
		}

	}

}
