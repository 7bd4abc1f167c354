package dev.roomkeeper.bench;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Roomkeeper member's STOMP connection: CONNECT with its token, SUBSCRIBE to
 * {@code /user/queue/room} then to {@code /topic/rooms/<code>}; ready once its
 * {@code snapshot} arrives. A connection attempt ends in {@link Attempts#ready} or
 * {@link Attempts#failed} exactly once; a newer attempt makes an older one's callbacks
 * void.
 * <p>
 * With {@link CatchUps} to count in, the member also keeps the {@code seq} of the last
 * room event it received and its room's {@code epoch} (from the last snapshot), checks
 * that events follow each other without gap or duplicate, and, when told to
 * {@link #prepare resume}, subscribes with {@code since-seq} and {@code epoch}: it is
 * then ready on {@code recovered} as well as on {@code snapshot}.
 */
final class BenchMember implements BenchClient, StompWebSocketClient.Handler {

	private final StompWebSocketClient client;

	private final URI server;

	private final boolean acrossInstances;

	private final String code;

	private final String token;

	private final Deliveries deliveries;

	private Attempts attempts;

	private StompWebSocketClient.Connection connection;

	private boolean ready;

	private int attemptCount;

	private long sequence;

	/** Where catch-ups count; null: not tracked (the live benchmark's hot path). */
	private final CatchUps catchUps;

	/** The seq of the last room event received or of the last snapshot; -1: none yet. */
	private long lastSeq = -1;

	/** The room's epoch from the last snapshot. */
	private String epoch;

	/** Whether attempts subscribe with since-seq and epoch. */
	private boolean resume;

	/**
	 * @param client the client that opens the connection
	 * @param server the server's WebSocket address
	 * @param acrossInstances whether the member is on the second server
	 * @param code the room code
	 * @param token the member token
	 * @param deliveries where received broadcasts count
	 */
	BenchMember(StompWebSocketClient client, URI server, boolean acrossInstances, String code, String token,
			Deliveries deliveries) {
		this(client, server, acrossInstances, code, token, deliveries, null);
	}

	/**
	 * A member that tracks its room's seq and epoch, counting in {@code catchUps}.
	 * @param client the client that opens the connection
	 * @param server the server's WebSocket address
	 * @param acrossInstances whether the member is on the second server
	 * @param code the room code
	 * @param token the member token
	 * @param deliveries where received broadcasts count
	 * @param catchUps where snapshots, recoveries and faults count
	 */
	BenchMember(StompWebSocketClient client, URI server, boolean acrossInstances, String code, String token,
			Deliveries deliveries, CatchUps catchUps) {
		this.client = client;
		this.server = server;
		this.acrossInstances = acrossInstances;
		this.code = code;
		this.token = token;
		this.deliveries = deliveries;
		this.catchUps = catchUps;
	}

	/**
	 * Starts a new series of attempts (the retry count starts again).
	 * @param resume whether to subscribe with {@code since-seq} (the last seq received)
	 * and {@code epoch} (from the last snapshot), once a snapshot gave an epoch
	 */
	synchronized void prepare(boolean resume) {
		this.resume = resume;
		this.attemptCount = 0;
	}

	@Override
	public synchronized TimeOut connect(Attempts attempts) {
		this.attempts = attempts;
		this.attemptCount++;
		this.ready = false;
		Map<String, String> resumeHeaders = new LinkedHashMap<>();
		if (this.resume && this.epoch != null) {
			resumeHeaders.put("since-seq", Long.toString(this.lastSeq));
			resumeHeaders.put("epoch", this.epoch);
		}
		StompWebSocketClient.Connection attempt = this.client.connectAndSubscribe(this.server,
				Map.of("accept-version", "1.2", "heart-beat", "0,0", "token", this.token),
				List.of(new StompWebSocketClient.Subscription("/user/queue/room", Map.of()),
						new StompWebSocketClient.Subscription("/topic/rooms/" + this.code, resumeHeaders)),
				this);
		this.connection = attempt;
		return (reason) -> timeOut(attempt, reason);
	}

	/**
	 * Closes the connection, if any, without telling the {@link Attempts} (the client
	 * goes away on purpose).
	 */
	void disconnect() {
		StompWebSocketClient.Connection current;
		synchronized (this) {
			current = this.connection;
			this.connection = null;
			this.ready = false;
		}
		if (current != null) {
			current.close();
		}
	}

	/** The seq of the last room event received or of the last snapshot (-1: none). */
	synchronized long lastSeq() {
		return this.lastSeq;
	}

	String code() {
		return this.code;
	}

	@Override
	public boolean acrossInstances() {
		return this.acrossInstances;
	}

	@Override
	public synchronized int attemptCount() {
		return this.attemptCount;
	}

	/** Gives up on an attempt that is still current and not ready. */
	private void timeOut(StompWebSocketClient.Connection attempt, String reason) {
		synchronized (this) {
			if (attempt != this.connection || this.ready) {
				return;
			}
			this.connection = null;
		}
		String stage = attempt.stage();
		attempt.close();
		this.attempts.failed(this, reason + " (" + stage + ")");
	}

	@Override
	public void broadcast(long stampNanos) {
		StompWebSocketClient.Connection current;
		long next;
		synchronized (this) {
			current = this.ready ? this.connection : null;
			next = ++this.sequence;
		}
		if (current != null) {
			current.send("/app/rooms/" + this.code + "/broadcast", "application/json",
					this.deliveries.broadcastBody(next, stampNanos));
		}
	}

	@Override
	public void onFrame(StompWebSocketClient.Connection from, String command, String frame) {
		if (command.equals("MESSAGE")) {
			if (this.catchUps != null && track(from, frame)) {
				becomeReady(from);
			}
			else if (!isReady(from) && frame.contains("\"type\":\"snapshot\"")) {
				becomeReady(from);
			}
			else {
				this.deliveries.received(frame, this.acrossInstances);
			}
		}
		else if (command.equals("ERROR")) {
			String error = "ERROR frame: " + frame.replace('\n', ' ');
			if (isReady(from)) {
				System.err.println(error);
			}
			else {
				from.close();
				onClosed(from, error);
			}
		}
	}

	@Override
	public void onClosed(StompWebSocketClient.Connection from, String reason) {
		boolean wasReady;
		synchronized (this) {
			if (from != this.connection) {
				return;
			}
			wasReady = this.ready;
			this.connection = null;
			this.ready = false;
		}
		if (wasReady) {
			this.attempts.lost(this, reason);
		}
		else {
			this.attempts.failed(this, reason);
		}
	}

	/**
	 * Follows the room's seq and epoch through a MESSAGE frame.
	 * @return whether the frame is a snapshot or a {@code recovered} event (the client is
	 * current); false for a frame of an attempt given up
	 */
	private synchronized boolean track(StompWebSocketClient.Connection from, String frame) {
		if (from != this.connection) {
			return false;
		}
		this.catchUps.frame(frame.length());
		if (frame.contains("\"type\":\"snapshot\"")) {
			this.lastSeq = number(frame, "\"seq\":");
			int epochAt = frame.indexOf("\"epoch\":\"");
			this.epoch = (epochAt < 0) ? null : frame.substring(epochAt + 9, frame.indexOf('"', epochAt + 9));
			this.catchUps.snapshot();
			return true;
		}
		if (frame.contains("\"type\":\"recovered\"")) {
			this.catchUps.recovered(number(frame, "\"count\":"), number(frame, "\"toSeq\":") == this.lastSeq);
			return true;
		}
		if (frame.contains("\"type\":\"error\"")) {
			if (this.catchUps.error() <= 10) {
				System.err.println("error event: " + frame.replace('\n', ' '));
			}
			return false;
		}
		long seq = number(frame, "\"seq\":");
		if (seq >= 0 && this.lastSeq >= 0) {
			if (seq <= this.lastSeq) {
				this.catchUps.duplicate();
			}
			else if (seq > this.lastSeq + 1) {
				this.catchUps.gap();
			}
		}
		this.lastSeq = Math.max(this.lastSeq, seq);
		return false;
	}

	/** The whole number after the first {@code key} in the frame, or -1. */
	private static long number(String frame, String key) {
		int start = frame.indexOf(key);
		if (start < 0) {
			return -1;
		}
		start += key.length();
		int end = start;
		while (end < frame.length() && Character.isDigit(frame.charAt(end))) {
			end++;
		}
		return (end > start) ? Long.parseLong(frame, start, end, 10) : -1;
	}

	private synchronized boolean isReady(StompWebSocketClient.Connection from) {
		return from == this.connection && this.ready;
	}

	private void becomeReady(StompWebSocketClient.Connection from) {
		synchronized (this) {
			if (from != this.connection || this.ready) {
				return;
			}
			this.ready = true;
		}
		this.attempts.ready(this);
	}

}
