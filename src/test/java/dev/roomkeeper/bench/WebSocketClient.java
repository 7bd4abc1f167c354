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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lean WebSocket client for many connections: plain non-blocking {@link SocketChannel}s
 * on a few selector threads, the RFC 6455 handshake and framing written out here (client
 * frames masked; server frames of any length, fragmented or not, ping answered with pong,
 * close answered with close). One thread serves thousands of connections, where a
 * {@code java.net.http.WebSocket} costs a few threads' worth of scheduling each. The
 * protocol above it (STOMP in {@link StompWebSocketClient}, Socket.IO in
 * {@link SocketIoWebSocketClient}) is the {@link Listener}'s: it gets every message as
 * text, on the connection's selector thread.
 */
final class WebSocketClient implements AutoCloseable {

	private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

	private final List<Loop> loops = new ArrayList<>();

	private final AtomicInteger next = new AtomicInteger();

	/**
	 * @param selectorThreads the selector threads serving the connections
	 * @param threadName the threads' name prefix
	 */
	WebSocketClient(int selectorThreads, String threadName) throws IOException {
		for (int i = 0; i < selectorThreads; i++) {
			Loop loop = new Loop(Selector.open());
			Thread thread = new Thread(loop, threadName + "-" + i);
			thread.setDaemon(true);
			thread.start();
			this.loops.add(loop);
		}
	}

	/**
	 * Opens a connection to {@code ws://host:port/path?query}; the outcome arrives at the
	 * listener.
	 * @param uri the WebSocket address
	 * @param subprotocol the {@code Sec-WebSocket-Protocol} to ask for, or null
	 * @param listener receives the opening, the messages and the end of the connection
	 * @return the connection, not yet open
	 */
	Connection connect(URI uri, String subprotocol, Listener listener) {
		Loop loop = this.loops.get(Math.floorMod(this.next.getAndIncrement(), this.loops.size()));
		Connection connection = new Connection(loop, uri, subprotocol, listener);
		loop.execute(connection::open);
		return connection;
	}

	@Override
	public void close() {
		this.loops.forEach((loop) -> loop.execute(loop::stop));
	}

	/** Receives what happens on one connection, on its selector thread. */
	interface Listener {

		/**
		 * The handshake succeeded: the connection may send.
		 * @param connection the connection
		 */
		void onOpen(Connection connection);

		/**
		 * A whole message from the server (fragments joined), decoded as UTF-8.
		 * @param connection the connection
		 * @param text the message
		 */
		void onText(Connection connection, String text);

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

	/** One WebSocket connection. */
	static final class Connection {

		private enum State {

			CONNECTING, HANDSHAKING, OPEN, CLOSED

		}

		private final Loop loop;

		private final URI uri;

		private final String subprotocol;

		private final Listener listener;

		private final String key = Base64.getEncoder().encodeToString(randomBytes(16));

		private final ArrayDeque<ByteBuffer> outbound = new ArrayDeque<>();

		private final ByteArrayOutputStream fragments = new ByteArrayOutputStream();

		private ByteBuffer inbound = ByteBuffer.allocate(4096);

		private volatile State state = State.CONNECTING;

		private SocketChannel channel;

		private SelectionKey selectionKey;

		private Connection(Loop loop, URI uri, String subprotocol, Listener listener) {
			this.loop = loop;
			this.uri = uri;
			this.subprotocol = subprotocol;
			this.listener = listener;
		}

		/** Sends a text message; may be called from any thread once open. */
		void sendText(String text) {
			write(frame(0x1, text.getBytes(StandardCharsets.UTF_8)));
		}

		/** Whether the handshake is done and the connection not closed. */
		boolean isOpen() {
			return this.state == State.OPEN;
		}

		/** How far the connection got: connecting, handshaking, open or closed. */
		String stage() {
			return this.state.name().toLowerCase(Locale.ROOT);
		}

		/** Closes the connection without a close handshake; no call to the listener. */
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
			String target = this.uri.getRawPath()
					+ ((this.uri.getRawQuery() != null) ? "?" + this.uri.getRawQuery() : "");
			String protocol = (this.subprotocol != null) ? "Sec-WebSocket-Protocol: " + this.subprotocol + "\r\n" : "";
			String request = "GET " + target + " HTTP/1.1\r\n" + "Host: " + this.uri.getHost() + ":"
					+ this.uri.getPort() + "\r\n" + "Upgrade: websocket\r\n" + "Connection: Upgrade\r\n"
					+ "Sec-WebSocket-Key: " + this.key + "\r\n" + "Sec-WebSocket-Version: 13\r\n" + protocol + "\r\n";
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
			this.listener.onOpen(this);
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

		private void onMessage(byte[] payload) {
			this.listener.onText(this, new String(payload, StandardCharsets.UTF_8));
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

		/** Ends the connection and tells the listener, once; on the selector thread. */
		private void end(String reason) {
			if (this.state == State.CLOSED) {
				return;
			}
			this.state = State.CLOSED;
			closeChannel();
			this.listener.onClosed(this, reason);
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
