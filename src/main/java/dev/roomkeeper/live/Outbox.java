package dev.roomkeeper.live;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

/**
 * The outbound queue of one connection, drained without ever blocking the thread that
 * offers a frame.
 * <p>
 * Any thread may {@link #offer} a frame (the one publishing a room event, the
 * connection's own inbound thread, the heart-beat timer). One asynchronous send is in
 * flight at a time; whatever queued up meanwhile leaves as one WebSocket text message
 * holding several STOMP frames, which STOMP over WebSocket allows and clients such as
 * stomp.js and Spring's {@code WebSocketStompClient} read. A batch stays within
 * {@value #MAX_BATCH_CHARS} characters, the default receive buffer of Java WebSocket
 * clients (Tomcat's), so batching never produces a message a client could not take when
 * it can take each frame alone; a larger frame is sent on its own. The send completes on
 * a container thread, which then sends the next batch.
 * <p>
 * A client that stops reading makes its sends stall: once the data pending for it (queued
 * and in flight, counted in characters) passes the send buffer limit while something is
 * already pending, the outbox stops accepting frames and tells its {@link Owner}, which
 * cuts the connection off. A single frame larger than the limit is still sent to a
 * connection that has nothing else pending.
 */
final class Outbox implements SendHandler {

	static final int MAX_BATCH_CHARS = 8192;

	/** What the outbox reports to its connection. */
	interface Owner {

		/** A send failed or timed out: the connection is unusable. */
		void sendFailed(Throwable cause);

		/** The client fell too far behind. */
		void overflowed();

		/** Everything queued before {@link #closeWhenDrained()} has been written. */
		void drained();

		/** Frames (not counting heart-beats) were written. */
		void delivered(int frames);

	}

	private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();

	private final AtomicLong pendingChars = new AtomicLong();

	private final AtomicBoolean sending = new AtomicBoolean();

	private final RemoteEndpoint.Async remote;

	private final long limit;

	private final Owner owner;

	private volatile boolean accepting = true;

	private volatile boolean closeWhenDrained;

	private volatile long lastSendNanos = System.nanoTime();

	// Touched only by the thread that holds `sending`.
	private int inFlightChars;

	private int inFlightFrames;

	Outbox(RemoteEndpoint.Async remote, long limit, Owner owner) {
		this.remote = remote;
		this.limit = limit;
		this.owner = owner;
	}

	/**
	 * Queues a frame and starts sending if nothing is in flight.
	 * @return {@code false} if the frame was not taken (closing, or the client fell
	 * behind)
	 */
	boolean offer(String frame) {
		if (!this.accepting) {
			return false;
		}
		int size = frame.length();
		long pending = this.pendingChars.addAndGet(size);
		if (pending > this.limit && pending != size) {
			this.accepting = false;
			this.pendingChars.addAndGet(-size);
			this.owner.overflowed();
			return false;
		}
		this.queue.offer(frame);
		drain();
		return true;
	}

	/** Sends a heart-beat if nothing was sent for the interval and nothing is pending. */
	void heartbeatIfIdle(long nowNanos, long intervalNanos) {
		if (nowNanos - this.lastSendNanos >= intervalNanos && this.queue.isEmpty() && !this.sending.get()) {
			offer(StompFrames.HEARTBEAT);
		}
	}

	/**
	 * Takes no more frames; tells the owner {@link Owner#drained()} once what is queued
	 * has been written.
	 */
	void closeWhenDrained() {
		this.accepting = false;
		this.closeWhenDrained = true;
		drain();
	}

	/** Drops everything queued and takes no more frames. */
	void discard() {
		this.accepting = false;
		this.queue.clear();
	}

	/** Characters queued or being written. */
	long pendingChars() {
		return this.pendingChars.get();
	}

	private void drain() {
		while (!this.queue.isEmpty() && this.sending.compareAndSet(false, true)) {
			String batch = nextBatch();
			if (batch == null) {
				this.sending.set(false);
				continue;
			}
			this.lastSendNanos = System.nanoTime();
			try {
				this.remote.sendText(batch, this);
			}
			catch (RuntimeException ex) {
				// `sending` stays set: nothing more is tried on a broken connection.
				this.owner.sendFailed(ex);
			}
			return;
		}
		if (this.closeWhenDrained && this.queue.isEmpty() && !this.sending.get()) {
			this.owner.drained();
		}
	}

	private String nextBatch() {
		String first = this.queue.poll();
		if (first == null) {
			return null;
		}
		int chars = first.length();
		int frames = isHeartbeat(first) ? 0 : 1;
		String next = this.queue.peek();
		if (next == null || chars + next.length() > MAX_BATCH_CHARS) {
			this.inFlightChars = chars;
			this.inFlightFrames = frames;
			return first;
		}
		StringBuilder batch = new StringBuilder(Math.min(MAX_BATCH_CHARS, 2 * (chars + next.length())));
		batch.append(first);
		while (next != null && batch.length() + next.length() <= MAX_BATCH_CHARS) {
			this.queue.poll();
			batch.append(next);
			frames += isHeartbeat(next) ? 0 : 1;
			next = this.queue.peek();
		}
		this.inFlightChars = batch.length();
		this.inFlightFrames = frames;
		return batch.toString();
	}

	private static boolean isHeartbeat(String frame) {
		return frame.length() == 1;
	}

	@Override
	public void onResult(SendResult result) {
		this.pendingChars.addAndGet(-this.inFlightChars);
		int frames = this.inFlightFrames;
		this.inFlightChars = 0;
		this.inFlightFrames = 0;
		if (!result.isOK()) {
			this.owner.sendFailed(result.getException());
			return;
		}
		if (frames > 0) {
			this.owner.delivered(frames);
		}
		this.sending.set(false);
		drain();
	}

}
