package dev.roomkeeper.bench;

import java.net.URI;

/**
 * One member's Socket.IO connection to the comparison server ({@code bench/socketio}):
 * once connected it emits {@code join} with its room and name, and is ready when the
 * server answers {@code joined}; its broadcasts are {@code broadcast} events, and the
 * server's {@code message} events to the room (the sender's own included) count as
 * deliveries. A connection attempt ends in {@link Attempts#ready} or
 * {@link Attempts#failed} exactly once; a newer attempt makes an older one's callbacks
 * void.
 */
final class SocketIoBenchMember implements BenchClient, SocketIoWebSocketClient.Handler {

	private final SocketIoWebSocketClient client;

	private final URI server;

	private final boolean acrossInstances;

	private final String room;

	private final String name;

	private final Deliveries deliveries;

	private Attempts attempts;

	private SocketIoWebSocketClient.Connection connection;

	private boolean ready;

	private int attemptCount;

	private long sequence;

	/**
	 * @param client the client that opens the connection
	 * @param server the server's address
	 * @param acrossInstances whether the member is on the second server
	 * @param room the room name (letters, digits and dashes)
	 * @param name the member's name (letters, digits and dashes)
	 * @param deliveries where received broadcasts count
	 */
	SocketIoBenchMember(SocketIoWebSocketClient client, URI server, boolean acrossInstances, String room, String name,
			Deliveries deliveries) {
		this.client = client;
		this.server = server;
		this.acrossInstances = acrossInstances;
		this.room = room;
		this.name = name;
		this.deliveries = deliveries;
	}

	@Override
	public synchronized TimeOut connect(Attempts attempts) {
		this.attempts = attempts;
		this.attemptCount++;
		this.ready = false;
		SocketIoWebSocketClient.Connection attempt = this.client.connect(this.server, this);
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

	@Override
	public void broadcast(long stampNanos) {
		SocketIoWebSocketClient.Connection current;
		long next;
		synchronized (this) {
			current = this.ready ? this.connection : null;
			next = ++this.sequence;
		}
		if (current != null) {
			current.emit("broadcast", this.deliveries.broadcastBody(next, stampNanos));
		}
	}

	@Override
	public void onConnected(SocketIoWebSocketClient.Connection from) {
		if (isCurrent(from)) {
			from.emit("join", "{\"room\":\"" + this.room + "\",\"name\":\"" + this.name + "\"}");
		}
	}

	@Override
	public void onEvent(SocketIoWebSocketClient.Connection from, String event, String packet) {
		if (event.equals("message")) {
			this.deliveries.received(packet, this.acrossInstances);
		}
		else if (event.equals("joined")) {
			becomeReady(from);
		}
	}

	@Override
	public void onClosed(SocketIoWebSocketClient.Connection from, String reason) {
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

	private void timeOut(SocketIoWebSocketClient.Connection attempt, String reason) {
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

	private synchronized boolean isCurrent(SocketIoWebSocketClient.Connection from) {
		return from == this.connection;
	}

	private void becomeReady(SocketIoWebSocketClient.Connection from) {
		synchronized (this) {
			if (from != this.connection || this.ready) {
				return;
			}
			this.ready = true;
		}
		this.attempts.ready(this);
	}

}
