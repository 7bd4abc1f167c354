package dev.roomkeeper.live.websocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One server-side WebSocket connection.
 * <p>
 * <b>Sending</b> ({@link #send}) takes a frame already encoded by
 * {@link WebSocketFrames}, so a message fanned out to many connections is encoded once.
 * Any thread may send; a send never blocks and never hands work to another thread: when
 * the socket takes the bytes at once (the usual case) they are written by the caller (one
 * system call for a frame that fits Tomcat's socket write buffer); when the client is not
 * reading fast enough, later frames queue here and leave, several per write, when Tomcat
 * reports the socket writable. A connection whose queue would pass
 * {@link WebSocketOptions#sendBufferBytes()} is sent a close frame and cut off if it has
 * not taken it within {@value #CLOSE_WAIT_MILLIS} ms; one whose write waits longer than
 * {@link WebSocketOptions#sendTimeLimitMillis()} (checked by {@link #checkDeadlines}), is
 * cut off; nothing else waits for it.
 * <p>
 * <b>Reading</b> happens when Tomcat dispatches the socket as readable: frames are
 * decoded and handed to the {@link WebSocketListener} in parts. Pings are answered.
 * <p>
 * <b>Closing</b> ({@link #close}) sends a close frame after what is queued, then waits up
 * to {@value #CLOSE_WAIT_MILLIS} ms for the client's close frame before closing the
 * socket; a close frame from the client is answered and the socket closed at once.
 * {@link WebSocketListener#onClosed} is called once, whatever ends the connection.
 */
public final class WebSocket implements FrameDecoder.Handler {

	/** The socket under a connection. */
	interface Transport {

		/**
		 * Writes all the bytes (what the socket cannot take now is kept and written
		 * later).
		 * @return whether more may be written now; if not, {@link #onWritable()} follows
		 * once the socket has drained
		 */
		boolean write(byte[] data) throws IOException;

		/** Writes what was kept; returns whether more may be written now. */
		boolean flush() throws IOException;

		/** Reads what is available without waiting: 0 if nothing, -1 at the end. */
		int read(ByteBuffer into) throws IOException;

		void close();

	}

	static final long CLOSE_WAIT_MILLIS = 2000;

	private static final long CLOSE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);

	private static final int READ_BUFFER_BYTES = 16 * 1024;

	private static final int MAX_READS_PER_DISPATCH = 16;

	private static final int MAX_BATCH_BYTES = 16 * 1024;

	private static final ThreadLocal<ByteBuffer> READ_BUFFERS = ThreadLocal
		.withInitial(() -> ByteBuffer.allocate(READ_BUFFER_BYTES));

	private static final AtomicLong ids = new AtomicLong();

	private static final Log log = LogFactory.getLog(WebSocket.class);

	private final String id = Long.toString(ids.incrementAndGet(), 36);

	private final Transport transport;

	private final long sendBufferBytes;

	private final long sendTimeLimitNanos;

	private final FrameDecoder decoder = new FrameDecoder(this);

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile WebSocketListener listener;

	private volatile long lastSendNanos = System.nanoTime();

	// Guarded by `this`.

	private ArrayDeque<byte[]> queue;

	private long queuedBytes;

	/** Set while the socket holds bytes it could not write yet. */
	private boolean blocked;

	private long blockedBytes;

	private long blockedSince;

	/**
	 * The pong answering the latest ping, while the socket is blocked: only the latest
	 * ping needs an answer (RFC 6455 5.5.3), so a ping flood takes no memory.
	 */
	private byte[] pendingPong;

	/** A close frame to send once the queue is empty. */
	private byte[] closeFrame;

	private boolean closeSent;

	/** When the connection is cut off if it has not closed by then (0: not set). */
	private long closeDeadline;

	private int peerCloseCode = CloseCodes.ABNORMAL;

	WebSocket(Transport transport, WebSocketOptions options) {
		this.transport = transport;
		this.sendBufferBytes = options.sendBufferBytes();
		this.sendTimeLimitNanos = TimeUnit.MILLISECONDS.toNanos(options.sendTimeLimitMillis());
	}

	/** Whether the listener lets its next messages be read on the poller. */
	boolean readsOnPoller() {
		WebSocketListener current = this.listener;
		return current != null && current.readsOnPoller();
	}

	/** Creates the listener; called once, before anything is read. */
	void open(Function<WebSocket, WebSocketListener> listeners) {
		WebSocketListener created = listeners.apply(this);
		this.listener = created;
		if (this.closed.get()) {
			// Cut while the listener was being created: tell it now.
			created.onClosed(this.peerCloseCode);
		}
	}

	/** An id unique within this process. */
	public String id() {
		return this.id;
	}

	/**
	 * Sends a frame encoded by {@link WebSocketFrames}; never blocks.
	 * @return {@code false} if it was not taken: the connection is closing, or the client
	 * fell so far behind that the connection is being cut off
	 */
	public boolean send(byte[] frame) {
		boolean failed = false;
		synchronized (this) {
			if (this.closeFrame != null || this.closeSent || this.closed.get()) {
				return false;
			}
			this.lastSendNanos = System.nanoTime();
			if (!this.blocked && isQueueEmpty()) {
				failed = !writeNow(frame);
			}
			else if (this.queuedBytes + this.blockedBytes + frame.length > this.sendBufferBytes) {
				log.debug("WebSocket " + this.id + " fell behind by more than the send buffer limit; closing it");
				dropQueue();
				this.closeFrame = WebSocketFrames.close(CloseCodes.POLICY_VIOLATION,
						"Too slow: send buffer limit passed");
				this.closeDeadline = System.nanoTime() + CLOSE_WAIT_NANOS;
				return false;
			}
			else {
				enqueue(frame);
			}
		}
		if (failed) {
			terminate(CloseCodes.ABNORMAL);
		}
		return !failed;
	}

	/**
	 * Closes the connection once what is queued has been written: a close frame, then the
	 * socket when the client answers (or after {@value #CLOSE_WAIT_MILLIS} ms). Never
	 * blocks. Later sends are refused.
	 */
	public void close(int code, String reason) {
		boolean failed = false;
		synchronized (this) {
			if (this.closeFrame != null || this.closeSent || this.closed.get()) {
				return;
			}
			this.closeFrame = WebSocketFrames.close(code, reason);
			if (!this.blocked && isQueueEmpty()) {
				failed = !sendCloseFrame();
			}
		}
		if (failed) {
			terminate(CloseCodes.ABNORMAL);
		}
	}

	/** Closes the socket now, without a close handshake. */
	public void abort() {
		terminate(CloseCodes.ABNORMAL);
	}

	public boolean isOpen() {
		return !this.closed.get();
	}

	/** When a frame was last taken for sending ({@link System#nanoTime()}). */
	public long lastSendNanos() {
		return this.lastSendNanos;
	}

	/** Bytes queued or held by the socket, not yet written. */
	public synchronized long pendingBytes() {
		return this.queuedBytes + this.blockedBytes;
	}

	/**
	 * Cuts the connection off if a write has waited longer than the send time limit, or
	 * the client has not answered a close frame within {@value #CLOSE_WAIT_MILLIS} ms.
	 * Called regularly by a timer.
	 */
	public void checkDeadlines(long nowNanos) {
		boolean cut;
		synchronized (this) {
			cut = (this.blocked && nowNanos - this.blockedSince > this.sendTimeLimitNanos)
					|| (this.closeDeadline != 0 && nowNanos - this.closeDeadline > 0);
		}
		if (cut) {
			log.debug("WebSocket " + this.id + " cut off: a write or the close handshake took too long");
			terminate(CloseCodes.ABNORMAL);
		}
	}

	// ---- called by the upgrade handler, one at a time

	/** The socket has data (or reached its end). */
	void onReadable() {
		ByteBuffer buffer = READ_BUFFERS.get();
		try {
			for (int i = 0; i < MAX_READS_PER_DISPATCH && !this.closed.get(); i++) {
				buffer.clear();
				int read = this.transport.read(buffer);
				if (read < 0) {
					terminate(this.peerCloseCode);
					return;
				}
				if (read == 0) {
					return;
				}
				buffer.flip();
				this.decoder.decode(buffer);
			}
		}
		catch (FrameDecoder.ProtocolException ex) {
			log.debug("WebSocket " + this.id + " broke the protocol: " + ex.getMessage());
			closeNow(ex.closeCode(), ex.getMessage());
		}
		catch (IOException ex) {
			terminate(CloseCodes.ABNORMAL);
		}
		catch (RuntimeException ex) {
			log.warn("Unexpected failure reading WebSocket " + this.id, ex);
			closeNow(CloseCodes.SERVER_ERROR, "Internal error");
		}
	}

	/** The socket can take more bytes after a write that did not complete. */
	void onWritable() {
		boolean failed = false;
		synchronized (this) {
			if (this.closed.get() || !this.blocked) {
				return;
			}
			try {
				if (!this.transport.flush()) {
					return;
				}
				this.blocked = false;
				this.blockedBytes = 0;
				if (this.pendingPong != null) {
					byte[] pong = this.pendingPong;
					this.pendingPong = null;
					failed = !writeNow(pong);
				}
				while (!this.blocked && !failed && !isQueueEmpty()) {
					failed = !writeNow(nextBatch());
				}
				if (!this.blocked && !failed && this.closeFrame != null && !this.closeSent) {
					failed = !sendCloseFrame();
				}
			}
			catch (IOException ex) {
				failed = true;
			}
		}
		if (failed) {
			terminate(CloseCodes.ABNORMAL);
		}
	}

	/** The socket is gone (closed by the client, an error, or the server stopping). */
	void onTransportClosed() {
		terminate(this.peerCloseCode);
	}

	boolean isClosed() {
		return this.closed.get();
	}

	// ---- FrameDecoder.Handler

	@Override
	public void onData(boolean text, ByteBuffer payload, boolean last) {
		if (!isClosing()) {
			this.listener.onMessagePart(text, payload, last);
		}
	}

	@Override
	public void onPing(byte[] payload, int length) {
		byte[] pong = WebSocketFrames.pong(payload, length);
		synchronized (this) {
			if (this.closeFrame == null && !this.closeSent && !this.closed.get()) {
				if (!this.blocked && isQueueEmpty()) {
					writeNow(pong);
				}
				else {
					this.pendingPong = pong;
				}
			}
		}
		this.listener.onPong();
	}

	@Override
	public void onPong() {
		this.listener.onPong();
	}

	@Override
	public void onClose(int code, String reason) {
		synchronized (this) {
			this.peerCloseCode = code;
			if (!this.closeSent) {
				dropQueue();
				if (this.closeFrame == null) {
					int echo = (code == CloseCodes.NO_STATUS) ? CloseCodes.NORMAL : code;
					this.closeFrame = WebSocketFrames.close(echo, "");
				}
				if (!this.blocked) {
					sendCloseFrame();
				}
			}
		}
		terminate(code);
	}

	// ---- internals

	private synchronized boolean isClosing() {
		return this.closeFrame != null || this.closeSent;
	}

	/** Sends a close frame at once (reading cannot go on) and closes the socket. */
	private void closeNow(int code, String reason) {
		synchronized (this) {
			if (!this.closeSent && !this.blocked) {
				dropQueue();
				this.closeFrame = WebSocketFrames.close(code, reason);
				sendCloseFrame();
			}
		}
		terminate(code);
	}

	private boolean sendCloseFrame() {
		this.closeSent = true;
		this.closeDeadline = System.nanoTime() + CLOSE_WAIT_NANOS;
		return writeNow(this.closeFrame);
	}

	/** Writes to the socket; returns false if the socket failed. Holding `this`. */
	private boolean writeNow(byte[] data) {
		try {
			if (!this.transport.write(data)) {
				this.blocked = true;
				this.blockedBytes = data.length;
				this.blockedSince = System.nanoTime();
			}
			return true;
		}
		catch (IOException | RuntimeException ex) {
			log.debug("A write to WebSocket " + this.id + " failed: " + ex.getMessage());
			return false;
		}
	}

	private void enqueue(byte[] frame) {
		if (this.queue == null) {
			this.queue = new ArrayDeque<>(4);
		}
		this.queue.add(frame);
		this.queuedBytes += frame.length;
	}

	private boolean isQueueEmpty() {
		return this.queue == null || this.queue.isEmpty();
	}

	private void dropQueue() {
		this.queue = null;
		this.queuedBytes = 0;
		this.pendingPong = null;
	}

	/** Frames from the queue, several in one array when they fit. */
	private byte[] nextBatch() {
		byte[] first = this.queue.poll();
		int size = first.length;
		byte[] next = this.queue.peek();
		if (next == null || size + next.length > MAX_BATCH_BYTES) {
			this.queuedBytes -= first.length;
			return first;
		}
		int total = size;
		int count = 1;
		for (byte[] frame : this.queue) {
			if (total + frame.length > MAX_BATCH_BYTES) {
				break;
			}
			total += frame.length;
			count++;
		}
		byte[] batch = new byte[total];
		System.arraycopy(first, 0, batch, 0, size);
		int at = size;
		for (int i = 1; i < count; i++) {
			byte[] frame = this.queue.poll();
			System.arraycopy(frame, 0, batch, at, frame.length);
			at += frame.length;
		}
		this.queuedBytes -= total;
		return batch;
	}

	/** Closes the socket and tells the listener, once. */
	private void terminate(int code) {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		synchronized (this) {
			dropQueue();
		}
		try {
			this.transport.close();
		}
		catch (RuntimeException ex) {
			log.debug("Closing WebSocket " + this.id + " failed: " + ex.getMessage());
		}
		WebSocketListener current = this.listener;
		if (current != null) {
			current.onClosed(code);
		}
	}

}
