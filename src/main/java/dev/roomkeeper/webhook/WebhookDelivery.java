package dev.roomkeeper.webhook;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomLeases;
import dev.roomkeeper.room.RoomWebhooks;
import dev.roomkeeper.room.RoomWebhooks.PendingWebhook;
import dev.roomkeeper.room.event.PublishedEvent;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.room.event.RoomEventListener;
import dev.roomkeeper.system.LogLine;

/**
 * Sends the webhooks of the rooms' outboxes, off the live path: its own scheduler and a
 * small pool ({@code rooms.webhooks.threads}) with the JDK's HTTP client, so no fan-out,
 * REST answer or store write waits for an endpoint.
 * <p>
 * A room is looked at when a change of it raised webhooks (on Redis, the room events of
 * every instance tell), at start-up and every {@code rooms.webhooks.rescan-interval}. One
 * thread at a time works on a room (rooms in parallel), and for each endpoint sends the
 * room's webhooks one after the other in the order they were raised (seq order), over
 * kept-alive connections; a failure holds back that endpoint's later webhooks of the room
 * until it is delivered or given up. Nothing is sent for a change that is not stored yet:
 * the rooms handed to the senders together have their changes stored first in one batch
 * ({@link OutboxRoomRepository#flushChanges}), and a sender reads the room's outbox under
 * the room's lock and, before it sends anything that was not in its last read, checks
 * that the room's changes are stored (if not, the room goes back for the next batch; the
 * second time the sender stores them itself). Delivered webhooks are removed from the
 * outbox in batches (one store update per {@value #ACK_BATCH} deliveries or
 * {@link #ACK_DELAY}, whichever comes first); if a crash loses that update, they are sent
 * again: at least once, receivers dedupe by {@code webhook-id}. A failure is retried with
 * exponential backoff and jitter (from {@code initial-backoff} doubling up to
 * {@code max-backoff}, each delay drawn between half and all of that) for
 * {@code give-up-after} (24 h), then kept in the outbox as failed until retried from the
 * admin API. With Redis ({@link RoomLeases}), an instance sends a room's webhooks only
 * while it holds the room's lease, so each webhook is sent by one instance, and a crashed
 * instance's rooms are taken over when its leases expire; the lease is renewed before a
 * send unless it was renewed so recently that it outlasts the send ({@link RoomLease}).
 */
public class WebhookDelivery implements SmartLifecycle, RoomEventListener {

	private static final Log log = LogFactory.getLog(WebhookDelivery.class);

	private static final Duration TICK = Duration.ofMillis(20);

	private static final int SCAN_PAGE = 500;

	/** The most deliveries removed from an outbox by one store update. */
	static final int ACK_BATCH = 32;

	/** How long after its first send a batch of deliveries is removed at the latest. */
	static final Duration ACK_DELAY = Duration.ofMillis(10);

	private final OutboxRoomRepository rooms;

	private final WebhookEndpoints endpoints;

	private final WebhookProperties properties;

	private final RoomEventBus eventBus;

	private final RoomLeases leases;

	private final Clock clock;

	private final String instanceId;

	private final Set<String> dirty = ConcurrentHashMap.newKeySet();

	private final Set<String> busy = ConcurrentHashMap.newKeySet();

	/** Rooms sent back to the tick because their changes were not stored yet. */
	private final Set<String> sentBack = ConcurrentHashMap.newKeySet();

	private final Map<String, Backoff> backoffs = new ConcurrentHashMap<>();

	private final Map<String, EndpointStatus> status = new ConcurrentHashMap<>();

	private final AtomicLong pending = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final Counter delivered;

	private final Counter retried;

	private final Counter gaveUp;

	private final Timer latency;

	private HttpClient client;

	private ScheduledExecutorService scheduler;

	private ExecutorService senders;

	private volatile boolean running;

	WebhookDelivery(OutboxRoomRepository rooms, WebhookEndpoints endpoints, WebhookProperties properties,
			RoomEventBus eventBus, Optional<RoomLeases> leases, Clock clock, MeterRegistry meterRegistry) {
		this.rooms = rooms;
		this.endpoints = endpoints;
		this.properties = properties;
		this.eventBus = eventBus;
		this.leases = leases.orElse(null);
		this.clock = clock;
		byte[] id = new byte[8];
		new SecureRandom().nextBytes(id);
		this.instanceId = HexFormat.of().formatHex(id);
		String name = "roomkeeper.webhooks.deliveries";
		this.delivered = Counter.builder(name)
			.description("Webhook delivery attempts by outcome")
			.tag("outcome", "delivered")
			.register(meterRegistry);
		this.retried = Counter.builder(name).tag("outcome", "retry").register(meterRegistry);
		this.gaveUp = Counter.builder(name).tag("outcome", "failed").register(meterRegistry);
		this.latency = Timer.builder("roomkeeper.webhooks.delivery")
			.description("Time of one webhook delivery attempt")
			.register(meterRegistry);
		Gauge.builder("roomkeeper.webhooks.pending", this.pending, AtomicLong::get)
			.description("Webhooks waiting to be delivered (at the last scan)")
			.register(meterRegistry);
		Gauge.builder("roomkeeper.webhooks.failed", this.failed, AtomicLong::get)
			.description("Webhooks given up on, kept for a retry from the admin API (at the last scan)")
			.register(meterRegistry);
		for (WebhookEndpoints.Endpoint endpoint : endpoints.all()) {
			this.status.put(endpoint.key(), new EndpointStatus());
		}
	}

	@Override
	public void start() {
		if (!this.endpoints.enabled()) {
			return;
		}
		this.senders = Executors.newFixedThreadPool(this.properties.getThreads(), (task) -> {
			Thread thread = new Thread(task, "webhook-sender");
			thread.setDaemon(true);
			return thread;
		});
		// The client's own tasks (completing a response whose body is discarded, TLS
		// handshake steps) run where they arise, on its selector thread or the sender,
		// instead of being handed to a pool thread that then wakes the sender: a third
		// of the CPU and most of the latency of a delivery to a nearby endpoint (see
		// docs/backend.md, Benchmark). Nothing run there blocks.
		this.client = HttpClient.newBuilder()
			.connectTimeout(this.properties.getTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.executor(Runnable::run)
			.build();
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "webhook-scheduler");
			thread.setDaemon(true);
			return thread;
		});
		this.running = true;
		this.rooms.onOutboxChanged(this.dirty::add);
		this.eventBus.addListener(this);
		this.scheduler.scheduleWithFixedDelay(this::rescan, 0, this.properties.getRescanInterval().toMillis(),
				TimeUnit.MILLISECONDS);
		this.scheduler.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
		log.info(LogLine.of("webhooks-started")
			.with("endpoints", this.endpoints.all().size())
			.with("threads", this.properties.getThreads()));
	}

	@Override
	public void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		this.eventBus.removeListener(this);
		this.scheduler.shutdownNow();
		this.senders.shutdownNow();
		try {
			this.senders.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Stops before the store closes, starts after it is open. */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 2000;
	}

	@Override
	public void onEvent(PublishedEvent event) {
		// Changes on this instance report themselves; this catches those of other
		// instances (Redis). Messages and presence raise no webhook: they never wake the
		// delivery (nor its flush).
		if (this.rooms.raisesWebhook(event.type())) {
			this.dirty.add(event.room());
		}
	}

	/** Hands the rooms with news to the senders, once their changes are stored. */
	private void tick() {
		try {
			if (this.dirty.isEmpty()) {
				return;
			}
			List<String> due = new ArrayList<>();
			for (String code : this.dirty) {
				if (!this.busy.contains(code) && this.dirty.remove(code)) {
					due.add(code);
				}
			}
			if (due.isEmpty()) {
				return;
			}
			// What is sent must be stored: one batch (one fsync) stores every due room's
			// changes; a sender that finds one of them changed since stores it again.
			this.rooms.flushChanges(due);
			for (String code : due) {
				this.busy.add(code);
				this.senders.execute(() -> deliverRoom(code));
			}
		}
		catch (RuntimeException ex) {
			log.warn(LogLine.of("webhooks-tick-failed").with("error", ex.getMessage()));
		}
	}

	/** Looks at every room (closed ones too) for webhooks to send; updates the gauges. */
	private void rescan() {
		try {
			long pendingNow = 0;
			long failedNow = 0;
			String after = null;
			while (this.running) {
				List<Room> page = this.rooms.pageWithOutboxes(after, SCAN_PAGE);
				if (page.isEmpty()) {
					break;
				}
				for (Room room : page) {
					for (PendingWebhook webhook : room.webhooks().pending()) {
						pendingNow += webhook.endpoints().size();
						failedNow += webhook.failed().size();
					}
					if (room.webhooks().pending().stream().anyMatch((webhook) -> !webhook.endpoints().isEmpty())) {
						this.dirty.add(room.code());
					}
				}
				after = page.get(page.size() - 1).code();
			}
			this.pending.set(pendingNow);
			this.failed.set(failedNow);
		}
		catch (RuntimeException ex) {
			log.warn(LogLine.of("webhooks-scan-failed").with("error", ex.getMessage()));
		}
	}

	/** Sends one room's webhooks, each endpoint in order, until none is due. */
	private void deliverRoom(String code) {
		RoomLease lease = (this.leases != null) ? new RoomLease(code) : null;
		Set<String> stored = Set.of();
		Instant nextDue = null;
		try {
			while (this.running) {
				Room room = this.rooms.readWithOutbox(code).orElse(null);
				if (room == null || room.webhooks().pending().stream().allMatch((w) -> w.endpoints().isEmpty())) {
					break;
				}
				if (!stored.containsAll(idsOf(room))) {
					// What is sent must be stored. The room was read under its lock, so
					// the store knows every change it shows; usually the tick's batch
					// stored them. If the room changed since, it goes back to the tick
					// (whose next batch stores it with the others) rather than making
					// this thread wait for a write of its own; the second time it waits.
					if (!this.rooms.changesStored(code)) {
						if (this.sentBack.add(code)) {
							this.dirty.add(code);
							break;
						}
						this.rooms.flushChanges(List.of(code));
					}
					this.sentBack.remove(code);
					stored = idsOf(room);
				}
				if (lease != null && !lease.holdForSend()) {
					// Another instance sends this room's webhooks; look again once its
					// lease could have expired.
					nextDue = this.clock.instant().plus(this.properties.getLeaseTtl());
					break;
				}
				boolean progressed = false;
				nextDue = null;
				for (WebhookEndpoints.Endpoint endpoint : this.endpoints.all()) {
					List<PendingWebhook> queue = room.webhooks().pendingFor(endpoint.key());
					if (queue.isEmpty()) {
						continue;
					}
					EndpointRun run = sendInOrder(code, endpoint, queue, lease);
					progressed |= run.progressed();
					if (run.retryAt() != null) {
						nextDue = earlier(nextDue, run.retryAt());
					}
				}
				if (!progressed) {
					break;
				}
			}
		}
		catch (RuntimeException ex) {
			log.warn(LogLine.of("webhooks-room-failed").with("room", code).with("error", ex.getMessage()));
			nextDue = this.clock.instant().plus(this.properties.getInitialBackoff());
		}
		finally {
			if (lease != null && nextDue == null) {
				lease.release();
			}
			this.busy.remove(code);
			if (nextDue != null && this.running) {
				long delay = Math.max(0, Duration.between(this.clock.instant(), nextDue).toMillis());
				try {
					this.scheduler.schedule(() -> this.dirty.add(code), delay, TimeUnit.MILLISECONDS);
				}
				catch (RuntimeException ex) {
					// shutting down
				}
			}
		}
	}

	private static Set<String> idsOf(Room room) {
		Set<String> ids = new HashSet<>();
		for (PendingWebhook webhook : room.webhooks().pending()) {
			ids.add(webhook.id());
		}
		return ids;
	}

	/**
	 * Sends a room's webhooks for one endpoint one after the other, in raised order,
	 * until one fails (then the rest wait for its retry) or the lease is lost. Deliveries
	 * are removed from the outbox in batches ({@link Acknowledgements}).
	 */
	private EndpointRun sendInOrder(String code, WebhookEndpoints.Endpoint endpoint, List<PendingWebhook> queue,
			RoomLease lease) {
		String backoffKey = code + "|" + endpoint.key();
		Backoff backoff = this.backoffs.get(backoffKey);
		if (backoff != null && backoff.nextAt().isAfter(this.clock.instant())) {
			return new EndpointRun(false, backoff.nextAt());
		}
		Acknowledgements acknowledgements = new Acknowledgements(code, endpoint.key());
		try {
			for (PendingWebhook webhook : queue) {
				if (!this.running) {
					return new EndpointRun(false, null);
				}
				if (lease != null && !lease.holdForSend()) {
					return new EndpointRun(false, this.clock.instant().plus(this.properties.getLeaseTtl()));
				}
				acknowledgements.sending();
				String error = send(endpoint, webhook);
				if (error == null) {
					if (backoff != null) {
						this.backoffs.remove(backoffKey);
						backoff = null;
					}
					acknowledgements.delivered(webhook.id());
					continue;
				}
				Instant now = this.clock.instant();
				Backoff next = (backoff != null) ? backoff.next(now, error, this.properties)
						: Backoff.first(now, error, this.properties);
				if (now.isBefore(next.firstFailureAt().plus(this.properties.getGiveUpAfter()))) {
					this.retried.increment();
					this.backoffs.put(backoffKey, next);
					return new EndpointRun(acknowledgements.any(), next.nextAt());
				}
				this.backoffs.remove(backoffKey);
				this.gaveUp.increment();
				int attempts = next.attempts();
				acknowledgements.store();
				this.rooms.updateOutbox(code,
						(outbox) -> outbox.failed(webhook.id(), endpoint.key(), attempts, error, now));
				log.warn(LogLine.of("webhook-failed")
					.with("id", WebhookRecorder.webhookId(webhook, endpoint.key()))
					.with("url", endpoint.url())
					.with("attempts", attempts)
					.with("error", error));
				// Given up: the endpoint's later webhooks go on (the caller reads the
				// outbox again).
				return new EndpointRun(true, null);
			}
			return new EndpointRun(acknowledgements.any(), null);
		}
		finally {
			acknowledgements.store();
		}
	}

	/**
	 * What sending one endpoint's webhooks of a room came to.
	 *
	 * @param progressed whether a webhook was delivered or given up on
	 * @param retryAt when to look at the room again for this endpoint (null: not needed)
	 */
	private record EndpointRun(boolean progressed, Instant retryAt) {

	}

	/**
	 * The deliveries to one endpoint not yet removed from a room's outbox: removed by one
	 * store update per batch, once {@value #ACK_BATCH} are delivered or the batch's first
	 * send started {@link #ACK_DELAY} ago (whichever comes first), and when the run ends.
	 * A store write per delivery cost more than the delivery itself (the room's outbox is
	 * rewritten each time); batching keeps what a crash sends again small: the deliveries
	 * of at most the last few milliseconds per sender thread (a slow endpoint's every
	 * delivery is removed on its own), all sent again with their {@code webhook-id}.
	 */
	private final class Acknowledgements {

		private final String code;

		private final String endpointKey;

		private final List<String> ids = new ArrayList<>();

		private long batchStartedAt;

		private boolean any;

		Acknowledgements(String code, String endpointKey) {
			this.code = code;
			this.endpointKey = endpointKey;
		}

		/** A send starts: the first of a batch starts its clock. */
		void sending() {
			if (this.ids.isEmpty()) {
				this.batchStartedAt = System.nanoTime();
			}
		}

		void delivered(String id) {
			this.ids.add(id);
			this.any = true;
			if (this.ids.size() >= ACK_BATCH || System.nanoTime() - this.batchStartedAt >= ACK_DELAY.toNanos()) {
				store();
			}
		}

		boolean any() {
			return this.any;
		}

		/** Removes the batch's deliveries from the outbox (one store update). */
		void store() {
			if (this.ids.isEmpty()) {
				return;
			}
			List<String> batch = List.copyOf(this.ids);
			this.ids.clear();
			WebhookDelivery.this.rooms.updateOutbox(this.code, (outbox) -> outbox.delivered(batch, this.endpointKey));
		}

	}

	/**
	 * A room's sending lease (Redis): taken before the first send, and renewed before a
	 * send unless it was renewed so recently that it outlasts that send: within
	 * {@code (lease-ttl - timeout) / 2} (so with a lease no longer than the timeout,
	 * before every send). Another instance takes the room over only once the lease
	 * expired, so a webhook is never sent by two instances at once.
	 */
	private final class RoomLease {

		private final String name;

		private final long renewWithinNanos;

		private boolean held;

		private long renewedAt;

		RoomLease(String code) {
			this.name = "webhooks:" + code;
			Duration spare = WebhookDelivery.this.properties.getLeaseTtl()
				.minus(WebhookDelivery.this.properties.getTimeout());
			this.renewWithinNanos = spare.isNegative() ? 0 : spare.toNanos() / 2;
		}

		/** Whether this instance holds the lease for (at least) one more send. */
		boolean holdForSend() {
			long now = System.nanoTime();
			if (this.held && now - this.renewedAt < this.renewWithinNanos) {
				return true;
			}
			this.held = WebhookDelivery.this.leases.tryAcquire(this.name, WebhookDelivery.this.instanceId,
					WebhookDelivery.this.properties.getLeaseTtl());
			// Measured before the call: the lease lasts at least lease-ttl from here.
			this.renewedAt = now;
			return this.held;
		}

		void release() {
			if (!this.held) {
				return;
			}
			try {
				WebhookDelivery.this.leases.release(this.name, WebhookDelivery.this.instanceId);
			}
			catch (RuntimeException ex) {
				// expires by itself
			}
		}

	}

	private static Instant earlier(Instant a, Instant b) {
		return (a == null || b.isBefore(a)) ? b : a;
	}

	/**
	 * POSTs one webhook, signed as Standard Webhooks.
	 * @return {@code null} when delivered (2xx), else what went wrong
	 */
	private String send(WebhookEndpoints.Endpoint endpoint, PendingWebhook webhook) {
		String id = WebhookRecorder.webhookId(webhook, endpoint.key());
		long timestamp = this.clock.instant().getEpochSecond();
		long started = System.nanoTime();
		EndpointStatus endpointStatus = this.status.get(endpoint.key());
		try {
			String signature = endpoint.signer().sign(id, timestamp, webhook.body());
			HttpRequest request = HttpRequest.newBuilder(endpoint.uri())
				.version(endpoint.version())
				.timeout(this.properties.getTimeout())
				.header("Content-Type", "application/json")
				.header("User-Agent", "Roomkeeper-Webhooks")
				.header("webhook-id", id)
				.header("webhook-timestamp", Long.toString(timestamp))
				.header("webhook-signature", signature)
				.POST(HttpRequest.BodyPublishers.ofString(webhook.body()))
				.build();
			HttpResponse<Void> response = this.client.send(request, HttpResponse.BodyHandlers.discarding());
			if (response.statusCode() / 100 == 2) {
				this.delivered.increment();
				endpointStatus.lastSuccessAt = this.clock.instant();
				return null;
			}
			return endpointStatus.failed("HTTP " + response.statusCode());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return endpointStatus.failed("interrupted");
		}
		catch (Exception ex) {
			return endpointStatus
				.failed(ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + ex.getMessage() : ""));
		}
		finally {
			this.latency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
		}
	}

	/** The admin view: per endpoint counts and last outcome, and every failed webhook. */
	public WebhookReport report() {
		Map<String, long[]> counts = new ConcurrentHashMap<>();
		List<WebhookReport.Failed> failedList = new ArrayList<>();
		String after = null;
		while (true) {
			List<Room> page = this.rooms.pageWithOutboxes(after, SCAN_PAGE);
			if (page.isEmpty()) {
				break;
			}
			for (Room room : page) {
				for (PendingWebhook webhook : room.webhooks().pending()) {
					for (String key : webhook.endpoints()) {
						counts.computeIfAbsent(key, (k) -> new long[2])[0]++;
					}
					for (RoomWebhooks.FailedDelivery failure : webhook.failed()) {
						counts.computeIfAbsent(failure.endpoint(), (k) -> new long[2])[1]++;
						failedList.add(new WebhookReport.Failed(WebhookRecorder.webhookId(webhook, failure.endpoint()),
								webhook.type(), room.code(), failure.attempts(), failure.lastError()));
					}
				}
			}
			after = page.get(page.size() - 1).code();
		}
		List<WebhookReport.Endpoint> endpointList = new ArrayList<>();
		for (WebhookEndpoints.Endpoint endpoint : this.endpoints.all()) {
			long[] count = counts.getOrDefault(endpoint.key(), new long[2]);
			EndpointStatus endpointStatus = this.status.get(endpoint.key());
			endpointList.add(new WebhookReport.Endpoint(endpoint.url(), count[0], count[1], endpointStatus.lastError,
					endpointStatus.lastSuccessAt));
		}
		return new WebhookReport(endpointList, failedList);
	}

	/**
	 * Puts a failed webhook back to be sent.
	 * @param webhookId {@code msg_<CODE>_<random>_<endpoint>}
	 * @return whether such a failed webhook was found
	 */
	public boolean retry(String webhookId) {
		String[] parts = webhookId.split("_");
		if (parts.length != 4 || !parts[0].equals("msg")) {
			return false;
		}
		String code = parts[1];
		String id = parts[0] + "_" + parts[1] + "_" + parts[2];
		String endpointKey = parts[3];
		Optional<Room> room;
		try {
			room = this.rooms.findWithOutbox(code);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		boolean found = room.isPresent() && room.get()
			.webhooks()
			.pending()
			.stream()
			.anyMatch((webhook) -> webhook.id().equals(id)
					&& webhook.failed().stream().anyMatch((failure) -> failure.endpoint().equals(endpointKey)));
		if (!found) {
			return false;
		}
		this.rooms.updateOutbox(code, (outbox) -> outbox.retried(id, endpointKey));
		this.dirty.add(code);
		return true;
	}

	/** A (room, endpoint)'s failed attempts in a row. */
	record Backoff(int attempts, Instant firstFailureAt, Instant nextAt, String lastError) {

		static Backoff first(Instant now, String error, WebhookProperties properties) {
			return new Backoff(1, now, now.plus(delay(1, properties)), error);
		}

		Backoff next(Instant now, String error, WebhookProperties properties) {
			int attempts = this.attempts + 1;
			return new Backoff(attempts, this.firstFailureAt, now.plus(delay(attempts, properties)), error);
		}

		/** Exponential backoff with jitter: uniform in [base/2, base]. */
		private static Duration delay(int attempts, WebhookProperties properties) {
			long initial = properties.getInitialBackoff().toMillis();
			long max = properties.getMaxBackoff().toMillis();
			long base = Math.min(max, initial << Math.min(attempts - 1, 30));
			return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
		}

	}

	private static final class EndpointStatus {

		private volatile String lastError;

		private volatile Instant lastSuccessAt;

		String failed(String error) {
			this.lastError = error;
			return error;
		}

	}

}
