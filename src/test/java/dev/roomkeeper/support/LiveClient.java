package dev.roomkeeper.support;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import static org.awaitility.Awaitility.await;

/**
 * A real STOMP client for tests: Spring's {@link WebSocketStompClient} over a real
 * WebSocket to {@code ws://localhost:{port}/ws}, with JSON bodies. Its receive buffer is
 * raised to 1 MiB (Tomcat's client takes 8 KiB messages by default), as a Java client
 * that expects large events must do.
 */
public final class LiveClient implements AutoCloseable {

	public static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final WebSocketStompClient client;

	private final ThreadPoolTaskScheduler scheduler;

	private final String url;

	private final List<Session> sessions = new CopyOnWriteArrayList<>();

	public LiveClient(int port) {
		this(port, null);
	}

	/** A client that asks for heart-beats every {@code heartbeat} both ways. */
	public LiveClient(int port, Duration heartbeat) {
		this.url = "ws://localhost:" + port + "/ws";
		WebSocketContainer container = ContainerProvider.getWebSocketContainer();
		container.setDefaultMaxTextMessageBufferSize(1024 * 1024);
		this.client = new WebSocketStompClient(new StandardWebSocketClient(container));
		this.client.setMessageConverter(new CompositeMessageConverter(List.of(new ByteArrayMessageConverter(),
				new StringMessageConverter(), new JacksonJsonMessageConverter(JSON))));
		this.client.setInboundMessageSizeLimit(4 * 1024 * 1024);
		if (heartbeat != null) {
			this.scheduler = new ThreadPoolTaskScheduler();
			this.scheduler.setPoolSize(1);
			this.scheduler.setDaemon(true);
			this.scheduler.initialize();
			this.client.setTaskScheduler(this.scheduler);
			this.client.setDefaultHeartbeat(new long[] { heartbeat.toMillis(), heartbeat.toMillis() });
		}
		else {
			this.scheduler = null;
			this.client.setDefaultHeartbeat(new long[] { 0, 0 });
		}
	}

	/** Connects with a token in the {@code token} header; fails the test if refused. */
	public Session connect(String token) {
		StompHeaders headers = new StompHeaders();
		headers.add("token", token);
		return connect(new WebSocketHttpHeaders(), headers);
	}

	/** Connects; fails the test if refused. */
	public Session connect(WebSocketHttpHeaders handshake, StompHeaders connect) {
		Session session = newSession();
		CompletableFuture<StompSession> future = this.client.connectAsync(this.url, handshake, connect, session);
		try {
			session.stomp = future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			return session;
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new AssertionError("STOMP connect failed; ERROR frames: " + session.errors, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/**
	 * Tries to connect and returns the attempt: the session (whose {@code errors} list
	 * the ERROR frames) and the failure, if any.
	 */
	public Attempt tryConnect(WebSocketHttpHeaders handshake, StompHeaders connect) {
		Session session = newSession();
		CompletableFuture<StompSession> future = this.client.connectAsync(this.url, handshake, connect, session);
		try {
			session.stomp = future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			return new Attempt(session, null);
		}
		catch (ExecutionException ex) {
			return new Attempt(session, ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new AssertionError("STOMP connect neither succeeded nor failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/** Awaitility with a short poll interval: events arrive in milliseconds. */
	static org.awaitility.core.ConditionFactory waiting() {
		return await().atMost(TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
	}

	private Session newSession() {
		Session session = new Session();
		this.sessions.add(session);
		return session;
	}

	/** Disconnects every session this client opened, then stops the client. */
	@Override
	public void close() {
		this.sessions.forEach(Session::disconnect);
		this.client.stop();
		if (this.scheduler != null) {
			this.scheduler.shutdown();
		}
	}

	/** The outcome of a connect attempt. */
	public record Attempt(Session session, Throwable failure) {

		public boolean refused() {
			return this.failure != null;
		}

	}

	/**
	 * A received MESSAGE: its destination, subscription and JSON body, and the body's
	 * text as it arrived (to check its exact form).
	 */
	public record Received(String destination, String subscription, JsonNode body, String text) {

		public String type() {
			return this.body.path("type").asString();
		}

		public long seq() {
			return this.body.path("seq").asLong();
		}

	}

	/**
	 * A connected session that records every MESSAGE it receives (in order), every ERROR
	 * frame and whether it is still connected.
	 */
	public static final class Session extends StompSessionHandlerAdapter {

		private volatile StompHeaders connectedHeaders;

		@Override
		public void afterConnected(StompSession session, StompHeaders connectedHeaders) {
			this.connectedHeaders = connectedHeaders;
		}

		/** The headers of the CONNECTED frame. */
		public StompHeaders connectedHeaders() {
			return this.connectedHeaders;
		}

		private volatile StompSession stomp;

		private final List<Received> received = new CopyOnWriteArrayList<>();

		private final List<StompHeaders> errors = new CopyOnWriteArrayList<>();

		private final List<Throwable> transportErrors = new CopyOnWriteArrayList<>();

		@Override
		public Type getPayloadType(StompHeaders headers) {
			return String.class;
		}

		@Override
		public void handleFrame(StompHeaders headers, Object payload) {
			// ERROR frames arrive here.
			this.errors.add(headers);
		}

		@Override
		public void handleException(StompSession session, StompCommand command, StompHeaders headers, byte[] payload,
				Throwable exception) {
			this.transportErrors.add(exception);
		}

		@Override
		public void handleTransportError(StompSession session, Throwable exception) {
			this.transportErrors.add(exception);
		}

		public StompSession stomp() {
			return this.stomp;
		}

		public boolean isConnected() {
			return this.stomp != null && this.stomp.isConnected();
		}

		public List<StompHeaders> errors() {
			return this.errors;
		}

		/** Subscribes to a destination, recording what arrives. */
		public StompSession.Subscription subscribe(String destination) {
			return subscribe(destination, new StompHeaders());
		}

		/** Subscribes with extra headers (e.g. a {@code selector}). */
		public StompSession.Subscription subscribe(String destination, StompHeaders extra) {
			StompHeaders headers = new StompHeaders();
			headers.putAll(extra);
			headers.setDestination(destination);
			return this.stomp.subscribe(headers, new StompFrameHandler() {

				@Override
				public Type getPayloadType(StompHeaders headers) {
					return byte[].class;
				}

				@Override
				public void handleFrame(StompHeaders headers, Object payload) {
					byte[] bytes = (byte[]) payload;
					Session.this.received.add(new Received(headers.getDestination(), headers.getSubscription(),
							JSON.readTree(bytes), new String(bytes, StandardCharsets.UTF_8)));
				}

			});
		}

		/**
		 * Subscribes to the user queue, then the room topic, and waits for the snapshot.
		 * @return the snapshot event
		 */
		public JsonNode join(String code) {
			subscribe("/user/queue/room");
			subscribe("/topic/rooms/" + code);
			return awaitUser("snapshot").body();
		}

		/** Sends a JSON body (a map, a JsonNode, ...). */
		public void send(String destination, Object body) {
			this.stomp.send(destination, body);
		}

		/** Sends raw bytes with no content type. */
		public void sendRaw(String destination, byte[] body) {
			this.stomp.send(destination, body);
		}

		public List<Received> received() {
			return List.copyOf(this.received);
		}

		/** Room-topic events received so far, in order. */
		public List<Received> roomEvents() {
			return this.received.stream().filter((message) -> message.destination().startsWith("/topic/")).toList();
		}

		/** User-queue events received so far, in order. */
		public List<Received> userEvents() {
			return this.received.stream().filter((message) -> message.destination().startsWith("/user/")).toList();
		}

		/** Waits for a room event matching the predicate; returns the latest one. */
		public Received awaitRoom(Predicate<Received> wanted) {
			return awaitMessage((message) -> message.destination().startsWith("/topic/") && wanted.test(message));
		}

		/** Waits for a room event of a type. */
		public Received awaitRoom(String type) {
			return awaitRoom((message) -> type.equals(message.type()));
		}

		/** Waits for a user-queue event of a type; returns the latest one. */
		public Received awaitUser(String type) {
			return awaitMessage((message) -> message.destination().startsWith("/user/") && type.equals(message.type()));
		}

		public Received awaitMessage(Predicate<Received> wanted) {
			return waiting()
				.until(() -> this.received.stream().filter(wanted).reduce((first, second) -> second),
						(found) -> found.isPresent())
				.orElseThrow();
		}

		/** Waits until the server closed the connection. */
		public void awaitDisconnected() {
			waiting().until(() -> !isConnected());
		}

		/** Waits until an ERROR frame arrived, and returns it. */
		public StompHeaders awaitError() {
			waiting().until(() -> !this.errors.isEmpty());
			return this.errors.get(0);
		}

		/** Sends DISCONNECT, unless the connection is already gone (server killed). */
		public void disconnect() {
			if (this.stomp != null && this.stomp.isConnected()) {
				try {
					this.stomp.disconnect();
				}
				catch (org.springframework.messaging.MessageDeliveryException ex) {
					// the socket closed under the session: nothing to disconnect
				}
			}
		}

	}

}
