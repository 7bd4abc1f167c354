package dev.roomkeeper.live;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;

import dev.roomkeeper.history.RoomHistoryService;
import dev.roomkeeper.live.websocket.WebSocket;
import dev.roomkeeper.live.websocket.WebSocketFrames;
import dev.roomkeeper.live.websocket.WebSocketListener;
import dev.roomkeeper.room.HistoryEvent;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomService;
import dev.roomkeeper.room.RoomView;
import dev.roomkeeper.room.event.ErrorEvent;
import dev.roomkeeper.room.event.PublishedEvent;
import dev.roomkeeper.room.event.RoomEvent;
import dev.roomkeeper.system.ProblemCode;
import dev.roomkeeper.system.RoomkeeperException;

/**
 * One STOMP 1.2 session over one WebSocket connection, acting for one member (or the bare
 * owner token) of one room.
 * <p>
 * Inbound frames are read and handled on the container thread that reads the socket (one
 * at a time per connection), straight from the bytes of WebSocket text or binary
 * messages. This class is the session: CONNECT, heart-beats, subscriptions
 * ({@link Subscriptions}) and closing; the room actions of a SEND are
 * {@link LiveRoomActions}'. Every change goes through {@link RoomService}, which checks
 * the connection's credential (its token, hashed once at CONNECT) against the room again,
 * so a member removed meanwhile can do nothing. Outbound frames are sent through the
 * {@link WebSocket}, which never blocks; room events arrive already encoded (see
 * {@link TopicFrame}).
 * <p>
 * Failures of a SEND (bad JSON, unknown destination, a rule of the room, the rate limit)
 * are answered with an {@code error} event on {@code /user/queue/room} and the connection
 * stays open. Failures of the session itself (no or a bad token, a frame before CONNECT,
 * a malformed frame, a SUBSCRIBE that is not allowed) are answered with an ERROR frame,
 * after which the connection is closed.
 */
final class LiveConnection implements WebSocketListener {

	static final String RESTARTING_MESSAGE = "The server is restarting; reconnect with your token";

	private static final Log log = LogFactory.getLog(LiveConnection.class);

	private static final byte[] HEARTBEAT = WebSocketFrames.text(StompFrames.HEARTBEAT);

	private static final long CONNECT_DEADLINE_NANOS = 10_000_000_000L;

	private static final int SILENT_HEARTBEATS = 3;

	private enum State {

		AWAITING_CONNECT, CONNECTED, CLOSING

	}

	private final LiveContext context;

	private final WebSocket socket;

	private final String id;

	private final String address;

	private final StompFrameReader reader;

	/** Where encoded room-event frames go: {@link #sendEncoded}. */
	private final Consumer<byte[]> encodedFrames = this::sendEncoded;

	private final SendRateLimiter rateLimiter;

	private final long openedAt = System.nanoTime();

	private final AtomicBoolean closeRequested = new AtomicBoolean();

	private final AtomicLong userMessageIds = new AtomicLong();

	private volatile State state = State.AWAITING_CONNECT;

	private volatile CloseReason closeReason = CloseReason.NORMAL;

	private volatile long lastReadAt = this.openedAt;

	private volatile long sendHeartbeatNanos;

	private volatile long expectHeartbeatNanos;

	private final Subscriptions subscriptions = new Subscriptions();

	private volatile boolean detached;

	/** Whether the registry counts this connection (false if its address was full). */
	private volatile boolean counted = true;

	// Set once by CONNECT, on the inbound thread, before the connection joins its room:
	// the token hashed once, for everything the connection does afterwards. The token
	// itself is not kept.
	private RoomService.Credential credential;

	private volatile String code;

	private volatile String memberId;

	/**
	 * Guards joining and leaving the room, which may race: CONNECT on the reading thread,
	 * the clean-up after the socket closed on a closing thread.
	 */
	private final Object membership = new Object();

	// Guarded by `membership`.
	private boolean presenceOpened;

	private boolean joined;

	private boolean ended;

	private LiveConnection(LiveContext context, WebSocket socket, String address) {
		this.context = context;
		this.socket = socket;
		this.id = socket.id();
		this.address = address;
		this.reader = new StompFrameReader(context.settings().maxHeaderBytes(), context.settings().maxBodyBytes());
		this.rateLimiter = new SendRateLimiter(context.settings().messagesPerSecond(), this.openedAt);
	}

	/**
	 * A connection for a socket just opened, counted for its address. If the address is
	 * at its limit (concurrent handshakes from it passed the check at the handshake), the
	 * socket is cut at once: an uncounted connection would escape the registry's timer
	 * and so its deadlines.
	 */
	static LiveConnection open(LiveContext context, WebSocket socket, String address) {
		LiveConnection connection = new LiveConnection(context, socket, address);
		if (!context.registry().tryAdd(address, connection)) {
			connection.counted = false;
			connection.state = State.CLOSING;
			log.debug("Live connection from " + address + " cut: too many connections from this address");
			socket.abort();
		}
		return connection;
	}

	String id() {
		return this.id;
	}

	String address() {
		return this.address;
	}

	/**
	 * The member this connection acts for, or null (not connected, or the owner token).
	 */
	String memberId() {
		return this.memberId;
	}

	TopicSubscription[] topicSubscriptions() {
		return this.subscriptions.topics();
	}

	// ---- inbound

	/**
	 * A part of a WebSocket message: STOMP frames as UTF-8 bytes, whether the message is
	 * text or binary.
	 */
	@Override
	public void onMessagePart(boolean text, ByteBuffer payload, boolean last) {
		this.lastReadAt = System.nanoTime();
		if (this.state != State.CLOSING && payload.hasRemaining()) {
			read(payload);
		}
	}

	/** A WebSocket pong (or ping): proof of life, like a heart-beat. */
	/**
	 * Only once connected and subscribed to its room: CONNECT and the first SUBSCRIBE
	 * read the store (and may write it: a ticket's join, the member shown connected), one
	 * round trip each on Redis and an fsync for a ticket on the file store, which must
	 * not hold the poller that reads every other connection.
	 */
	@Override
	public boolean readsOnPoller() {
		return this.state == State.CONNECTED && this.subscriptions.topics().length > 0;
	}

	@Override
	public void onPong() {
		this.lastReadAt = System.nanoTime();
	}

	private void read(ByteBuffer bytes) {
		try {
			this.reader.read(bytes, this::handle);
		}
		catch (StompFrameReader.MalformedFrameException ex) {
			fail(ProblemCode.INVALID_REQUEST, "Malformed frame: " + ex.getMessage(), null);
		}
	}

	private boolean handle(StompFrame frame) {
		try {
			switch (frame.command()) {
				case "CONNECT", "STOMP" -> onConnect(frame);
				case "SEND" -> whenConnected(frame, this::onSend);
				case "SUBSCRIBE" -> whenConnected(frame, this::onSubscribe);
				case "UNSUBSCRIBE" -> whenConnected(frame, this::onUnsubscribe);
				case "DISCONNECT" -> onDisconnect(frame);
				case "ACK", "NACK" -> whenConnected(frame, this::receipt);
				case "BEGIN", "COMMIT", "ABORT" ->
					fail(ProblemCode.INVALID_REQUEST, "Transactions are not supported", frame.header("receipt"));
				default -> fail(ProblemCode.INVALID_REQUEST, "Unknown command", frame.header("receipt"));
			}
		}
		catch (SessionFailure ex) {
			fail(ex.problem(), ex.getMessage(), frame.header("receipt"));
		}
		catch (RuntimeException ex) {
			log.warn("Unexpected failure handling a " + frame.command() + " frame", ex);
			fail(ProblemCode.INTERNAL_ERROR, "An unexpected error occurred", frame.header("receipt"));
		}
		return this.state != State.CLOSING;
	}

	private void whenConnected(StompFrame frame, Consumer<StompFrame> action) {
		if (this.state != State.CONNECTED) {
			throw new SessionFailure(ProblemCode.UNAUTHORIZED, "Send CONNECT with a member token first");
		}
		action.accept(frame);
	}

	// ---- CONNECT

	private void onConnect(StompFrame frame) {
		if (this.state != State.AWAITING_CONNECT) {
			throw new SessionFailure(ProblemCode.INVALID_REQUEST, "Already connected");
		}
		ConnectRequest request = ConnectRequest.of(frame);
		RoomService.TokenHolder holder;
		String token = request.token();
		try {
			if (request.ticket() != null) {
				token = this.context.rooms().joinWithTicket(request.ticket(), this.address).joined().token();
			}
			holder = this.context.rooms().identify(token, this.address);
		}
		catch (RoomkeeperException ex) {
			throw new SessionFailure(ex.problem(), ex.getMessage());
		}
		long[] clientHeartBeats = request.clientHeartBeats();
		long server = this.context.settings().heartbeatMillis();
		this.sendHeartbeatNanos = ConnectRequest.negotiate(server, clientHeartBeats[1]);
		this.expectHeartbeatNanos = ConnectRequest.negotiate(server, clientHeartBeats[0]);
		this.credential = this.context.rooms().credential(token);
		this.memberId = holder.caller().memberId();
		this.code = holder.code();
		if (!joinRoom()) {
			return;
		}
		send(StompFrames.connected(server + "," + server, holder.caller().by(), this.id,
				(request.ticket() != null) ? token : null));
	}

	/**
	 * Joins the room's channel and tells presence, unless the connection has already
	 * ended (its clean-up may run on another thread while CONNECT is handled).
	 */
	private boolean joinRoom() {
		synchronized (this.membership) {
			if (this.ended || this.state == State.CLOSING) {
				this.state = State.CLOSING;
				return false;
			}
			this.state = State.CONNECTED;
			this.context.channels().join(this.code, this);
			this.presenceOpened = this.memberId != null;
			if (this.presenceOpened) {
				this.context.presence().opened(this.code, this.memberId);
			}
			this.joined = true;
			return true;
		}
	}

	// ---- SUBSCRIBE / UNSUBSCRIBE / DISCONNECT

	private void onSubscribe(StompFrame frame) {
		String subscriptionId = frame.header("id");
		String destination = frame.header("destination");
		if (subscriptionId == null || subscriptionId.isEmpty()) {
			throw new SessionFailure(ProblemCode.INVALID_REQUEST, "SUBSCRIBE needs an id header");
		}
		if (!this.rateLimiter.tryAcquire(System.nanoTime())) {
			rateLimited(destination);
			receipt(frame);
			return;
		}
		if (this.subscriptions.has(subscriptionId)) {
			throw new SessionFailure(ProblemCode.INVALID_REQUEST, "Subscription id " + subscriptionId + " is in use");
		}
		if (this.subscriptions.count() >= this.context.settings().maxSubscriptions()) {
			throw new SessionFailure(ProblemCode.INVALID_REQUEST,
					"At most " + this.context.settings().maxSubscriptions() + " subscriptions per connection");
		}
		// A client selector header is ignored, never evaluated (CVE-2018-1270).
		if (LiveDestinations.USER_QUEUE.equals(destination)) {
			this.subscriptions.addUserQueue(subscriptionId);
		}
		else if (LiveDestinations.topicRoom(destination) != null) {
			subscribeToRoom(LiveDestinations.topicRoom(destination), new TopicSubscription(subscriptionId),
					ResumePoint.of(frame));
		}
		else {
			throw new SessionFailure(ProblemCode.FORBIDDEN,
					"Subscribe to /topic/rooms/{code} or " + LiveDestinations.USER_QUEUE + " only");
		}
		receipt(frame);
	}

	private void subscribeToRoom(String room, TopicSubscription subscription, ResumePoint resume) {
		if (!room.equals(this.code)) {
			throw new SessionFailure(ProblemCode.FORBIDDEN,
					"This connection acts for room " + this.code + " and may not subscribe to room " + room);
		}
		// Events are held back from here until the snapshot (or the recovered events) are
		// queued.
		this.subscriptions.addTopic(subscription);
		long seq;
		try {
			seq = recover(subscription, resume).orElse(-1L);
			if (seq < 0) {
				Room snapshot = this.context.rooms().snapshot(this.code, this.credential, false);
				sendToUser(snapshotEvent(snapshot));
				seq = snapshot.seq();
			}
		}
		catch (RoomkeeperException ex) {
			this.subscriptions.remove(subscription.id());
			throw new SessionFailure(ex.problem(), ex.getMessage());
		}
		subscription.release(seq, this.encodedFrames);
		if (this.detached) {
			this.subscriptions.clearTopics();
		}
	}

	/**
	 * Sends the events a resuming client missed, as ordinary room-topic messages, then a
	 * {@code recovered} event, while the subscription holds live events back.
	 * @return the seq of the last recovered event, or empty when the client needs a
	 * snapshot (nothing was sent)
	 */
	private Optional<Long> recover(TopicSubscription subscription, ResumePoint resume) {
		if (resume == null) {
			return Optional.empty();
		}
		if (resume.problem() != null) {
			sendError(ProblemCode.INVALID_REQUEST, resume.problem(), LiveDestinations.roomTopic(this.code));
			return Optional.empty();
		}
		Optional<RoomHistoryService.Recovery> found = this.context.history()
			.recover(this.code, this.credential, resume.sinceSeq(), resume.epoch());
		if (found.isEmpty()) {
			return Optional.empty();
		}
		RoomHistoryService.Recovery recovery = found.get();
		for (HistoryEvent event : recovery.events()) {
			TopicFrame frame = TopicFrame
				.of(new PublishedEvent(recovery.room(), event.seq(), null, event.json(), null));
			sendEncoded(frame.forSubscription(subscription.escapedId()));
		}
		sendToUser(new RecoveredEvent(recovery.room(), this.context.clock().instant(), recovery.since() + 1,
				recovery.seq(), recovery.events().size()));
		return Optional.of(recovery.seq());
	}

	private void onUnsubscribe(StompFrame frame) {
		String subscriptionId = frame.header("id");
		if (subscriptionId == null) {
			throw new SessionFailure(ProblemCode.INVALID_REQUEST, "UNSUBSCRIBE needs an id header");
		}
		this.subscriptions.remove(subscriptionId);
		receipt(frame);
	}

	private void onDisconnect(StompFrame frame) {
		receipt(frame);
		this.state = State.CLOSING;
		this.closeReason = CloseReason.NORMAL;
		closeWhenSent();
	}

	// ---- SEND

	private void onSend(StompFrame frame) {
		this.context.metrics().messageIn();
		String destination = frame.header("destination");
		try {
			if (!this.rateLimiter.tryAcquire(System.nanoTime())) {
				rateLimited(destination);
			}
			else if (frame.bodyTooLarge()) {
				throw RoomkeeperException.payloadTooLarge("The message body", this.context.settings().maxBodyBytes());
			}
			else {
				// Without a receipt to answer, a broadcast need not be stored before the
				// next frame is read.
				Consumer<RuntimeException> lateFailure = (frame.header("receipt") != null) ? null
						: (failure) -> sendLateError(failure, destination);
				this.context.actions()
					.perform(this.code, this.credential, destination, frame.body(), this::sendSnapshot, lateFailure);
			}
		}
		catch (RoomkeeperException ex) {
			sendError(ex.problem(), ex.getMessage(), destination);
		}
		catch (JacksonException ex) {
			sendError(ProblemCode.INVALID_REQUEST, "The body is not valid JSON", destination);
		}
		receipt(frame);
	}

	/** A fresh snapshot on request; room events are held back while it is read. */
	private void sendSnapshot() {
		TopicSubscription[] subscriptions = this.subscriptions.topics();
		for (TopicSubscription subscription : subscriptions) {
			subscription.hold();
		}
		long seq = -1;
		try {
			Room snapshot = this.context.rooms().snapshot(this.code, this.credential, true);
			sendToUser(snapshotEvent(snapshot));
			seq = snapshot.seq();
		}
		finally {
			for (TopicSubscription subscription : subscriptions) {
				subscription.release(seq, this.encodedFrames);
			}
		}
	}

	private void rateLimited(String destination) {
		sendError(ProblemCode.RATE_LIMITED, "More than " + this.context.settings().messagesPerSecond()
				+ " messages per second; this one was dropped", destination);
	}

	// ---- outbound

	/**
	 * Sends a room event's frame (encoded once for every subscriber with this
	 * subscription id) to one of this connection's topic subscriptions.
	 */
	void deliver(TopicSubscription subscription, long seq, byte[] frame) {
		subscription.deliver(seq, frame, this.encodedFrames);
	}

	/** Sends an encoded MESSAGE frame of a room event. */
	void sendEncoded(byte[] frame) {
		if (this.socket.send(frame)) {
			this.context.metrics().messagesOut(1);
		}
	}

	/** Sends a frame to this connection only. */
	private void send(String frame) {
		if (this.socket.send(WebSocketFrames.text(frame))) {
			this.context.metrics().messagesOut(1);
		}
	}

	/** Closes the WebSocket once what was sent before has been written. */
	private void closeWhenSent() {
		CloseReason reason = this.closeReason;
		this.socket.close(reason.code(), reason.reason());
	}

	private SnapshotEvent snapshotEvent(Room room) {
		return new SnapshotEvent(room.code(), this.context.clock().instant(), room.seq(), room.epoch(),
				RoomView.of(room, this.context.rooms().idleTimeout()));
	}

	/** An {@code error} event for a SEND that failed after it was read. */
	private void sendLateError(RuntimeException failure, String destination) {
		if (failure instanceof RoomkeeperException ex) {
			sendError(ex.problem(), ex.getMessage(), destination);
		}
		else {
			log.warn("Unexpected failure storing a SEND to " + destination, failure);
			sendError(ProblemCode.INTERNAL_ERROR, "An unexpected error occurred", destination);
		}
	}

	private void sendError(ProblemCode problem, String message, String destination) {
		sendToUser(new ErrorEvent(this.code, this.context.clock().instant(), problem.code(), message, destination));
	}

	private void sendToUser(RoomEvent event) {
		String[] queues = this.subscriptions.userQueuePairs();
		if (queues.length == 0) {
			return;
		}
		String json = this.context.jsonMapper().writeValueAsString(event);
		for (int i = 1; i < queues.length; i += 2) {
			send(StompFrames.message(LiveDestinations.USER_QUEUE, queues[i],
					this.id + "-" + this.userMessageIds.incrementAndGet(), json));
		}
	}

	private void receipt(StompFrame frame) {
		String receipt = frame.header("receipt");
		if (receipt != null) {
			send(StompFrames.receipt(receipt));
		}
	}

	/** Sends an ERROR frame and closes the connection once it is written. */
	private void fail(ProblemCode problem, String message, String receiptId) {
		if (this.state == State.CLOSING) {
			return;
		}
		this.state = State.CLOSING;
		this.closeReason = (problem == ProblemCode.UNAUTHORIZED || problem == ProblemCode.FORBIDDEN
				|| problem == ProblemCode.ROOM_NOT_FOUND) ? CloseReason.policyViolation(problem.code())
						: CloseReason.protocolError(problem.code());
		send(StompFrames.error(problem.code(), message, receiptId));
		closeWhenSent();
	}

	// ---- lifecycle

	/**
	 * Tells the client that the server is going down and will be back (or another
	 * instance serves the room): an ERROR frame with {@code code:server-restarting}, then
	 * the connection closes with {@code 1012 service restart} once the frame is written.
	 * The client should reconnect with the same token after a short, randomised delay.
	 * Never blocks; a connection that is closing already is left to close.
	 */
	void restarting() {
		if (this.state == State.CLOSING) {
			return;
		}
		this.state = State.CLOSING;
		this.closeReason = CloseReason.RESTARTING;
		send(StompFrames.error(ProblemCode.SERVER_RESTARTING.code(), RESTARTING_MESSAGE, null));
		closeWhenSent();
	}

	/**
	 * Ends the connection's part in its room (the room closed or the member was removed):
	 * no more room events; the connection closes once what is queued (the event that
	 * ended it) is written. Never blocks: called while the room is held.
	 */
	void detach(CloseReason reason) {
		this.detached = true;
		this.subscriptions.clearTopics();
		this.state = State.CLOSING;
		this.closeReason = reason;
		closeWhenSent();
	}

	/** Called by the heart-beat timer. */
	void checkHeartbeat(long now) {
		this.socket.checkDeadlines(now);
		State current = this.state;
		if (current == State.AWAITING_CONNECT && now - this.openedAt > CONNECT_DEADLINE_NANOS) {
			close(CloseReason.NO_CONNECT);
			return;
		}
		if (current != State.CONNECTED) {
			return;
		}
		long expect = this.expectHeartbeatNanos;
		if (expect > 0 && now - this.lastReadAt > SILENT_HEARTBEATS * expect) {
			close(CloseReason.NO_HEARTBEAT);
			return;
		}
		long send = this.sendHeartbeatNanos;
		if (send > 0 && now - this.socket.lastSendNanos() >= send && this.socket.pendingBytes() == 0) {
			this.socket.send(HEARTBEAT);
		}
	}

	/** Closes the WebSocket after what is queued, once; never blocks. */
	void close(CloseReason reason) {
		if (!this.closeRequested.compareAndSet(false, true)) {
			return;
		}
		this.state = State.CLOSING;
		this.socket.close(reason.code(), reason.reason());
	}

	/** Cuts the connection now, without a close handshake. */
	void abort() {
		this.state = State.CLOSING;
		this.socket.abort();
	}

	/**
	 * The WebSocket closed: forget the connection, leave the room and tell presence, on
	 * the registry's closing threads (the socket may have failed while an event of this
	 * room was being delivered, with the room held).
	 */
	@Override
	public void onClosed(int code) {
		this.state = State.CLOSING;
		this.closeRequested.set(true);
		this.subscriptions.clearTopics();
		if (!this.counted) {
			return;
		}
		LiveConnectionRegistry registry = this.context.registry();
		registry.closeLater(() -> {
			registry.remove(this.id);
			leaveRoom();
		});
	}

	/** Leaves the room's channel and tells presence, once; no join can follow. */
	private void leaveRoom() {
		synchronized (this.membership) {
			this.ended = true;
			if (!this.joined) {
				return;
			}
			this.joined = false;
			this.context.channels().leave(this.code, this);
			if (this.presenceOpened) {
				this.context.presence().closed(this.code, this.memberId);
			}
		}
	}

}
