package dev.roomkeeper.bench;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * One Roomkeeper member's STOMP connection: CONNECT with its token, SUBSCRIBE to
 * {@code /user/queue/room} then to {@code /topic/rooms/<code>}; ready once its
 * {@code snapshot} arrives. A connection attempt ends in {@link Attempts#ready} or
 * {@link Attempts#failed} exactly once; a newer attempt makes an older one's callbacks
 * void.
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
		this.client = client;
		this.server = server;
		this.acrossInstances = acrossInstances;
		this.code = code;
		this.token = token;
		this.deliveries = deliveries;
	}

	@Override
	public synchronized TimeOut connect(Attempts attempts) {
		this.attempts = attempts;
		this.attemptCount++;
		this.ready = false;
		StompWebSocketClient.Connection attempt = this.client.connect(this.server,
				Map.of("accept-version", "1.2", "heart-beat", "0,0", "token", this.token),
				List.of("/user/queue/room", "/topic/rooms/" + this.code), this);
		this.connection = attempt;
		return (reason) -> timeOut(attempt, reason);
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
			if (!isReady(from) && frame.contains("\"type\":\"snapshot\"")) {
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
