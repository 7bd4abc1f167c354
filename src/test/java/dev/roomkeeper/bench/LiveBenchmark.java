package dev.roomkeeper.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.roomkeeper.support.ApiClient;

/**
 * Load generator for the live API: {@code rooms} rooms of {@code members} members, every
 * member connected over STOMP and subscribed to its room, one member per room
 * broadcasting at {@code rate} messages per second. Reports connect rate, delivered
 * messages per second, delivery latency (p50/p99) and, given the server's pid, the
 * server's CPU time, messages per CPU-second and resident memory. Not a test:
 * {@code bench/live.sh} runs it against a packaged server pinned to one core.
 * <p>
 * System properties: {@code bench.url} (http://127.0.0.1:8080), {@code bench.rooms}
 * (1000), {@code bench.members} (10), {@code bench.rate} (2 per room per second),
 * {@code bench.seconds} (20), {@code bench.pid} (the server's pid, optional),
 * {@code bench.clients} (HTTP clients sharing the sockets, 4).
 */
public final class LiveBenchmark {

	private final String url = System.getProperty("bench.url", "http://127.0.0.1:8080");

	private final int rooms = Integer.getInteger("bench.rooms", 1000);

	private final int members = Integer.getInteger("bench.members", 10);

	private final double rate = Double.parseDouble(System.getProperty("bench.rate", "2"));

	private final int seconds = Integer.getInteger("bench.seconds", 20);

	private final long pid = Long.getLong("bench.pid", -1);

	private final List<HttpClient> clients = new ArrayList<>();

	private final LongAdder delivered = new LongAdder();

	private final LongAdder sent = new LongAdder();

	private final ConcurrentLinkedQueue<long[]> latencyChunks = new ConcurrentLinkedQueue<>();

	private volatile boolean measuring;

	private LiveBenchmark() {
		for (int i = 0; i < Integer.getInteger("bench.clients", 4); i++) {
			this.clients.add(HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2)).build());
		}
	}

	public static void main(String[] args) throws Exception {
		new LiveBenchmark().run();
		System.exit(0);
	}

	private void run() throws Exception {
		System.out.printf("workload: %d rooms x %d members, %.1f broadcasts/s per room, %d s%n", this.rooms,
				this.members, this.rate, this.seconds);
		List<List<String[]>> roomsAndTokens = createRooms();
		long rssBefore = rssKiB();

		long connectStart = System.nanoTime();
		List<List<Member>> connected = connectAll(roomsAndTokens);
		double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
		int connections = this.rooms * this.members;
		System.out.printf("connected %d clients in %.1f s: %.0f connects/s%n", connections, connectSeconds,
				connections / connectSeconds);
		System.out.printf("server RSS with %d connections: %d MiB (before connecting: %d MiB)%n", connections,
				rssKiB() / 1024, rssBefore / 1024);

		ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
		long periodNanos = (long) (1e9 / this.rate);
		for (int r = 0; r < connected.size(); r++) {
			Member sender = connected.get(r).get(0);
			scheduler.scheduleAtFixedRate(sender::broadcast, (periodNanos * r) / connected.size(), periodNanos,
					TimeUnit.NANOSECONDS);
		}
		Thread.sleep(3000);
		this.delivered.reset();
		this.sent.reset();
		long cpuBefore = cpuTicks();
		long start = System.nanoTime();
		this.measuring = true;
		Thread.sleep(this.seconds * 1000L);
		this.measuring = false;
		double elapsed = (System.nanoTime() - start) / 1e9;
		long cpuTicks = cpuTicks() - cpuBefore;
		scheduler.shutdownNow();

		long deliveredCount = this.delivered.sum();
		System.out.printf("sent %d broadcasts, delivered %d messages: %.0f delivered/s (expected %.0f/s)%n",
				this.sent.sum(), deliveredCount, deliveredCount / elapsed, this.rooms * this.rate * this.members);
		long[] latencies = this.latencyChunks.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();
		if (latencies.length > 0) {
			System.out.printf("latency p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d samples)%n",
					latencies[latencies.length / 2] / 1e6, latencies[(int) (latencies.length * 0.99)] / 1e6,
					latencies[latencies.length - 1] / 1e6, latencies.length);
		}
		if (cpuTicks >= 0) {
			double cpuSeconds = cpuTicks / 100.0;
			System.out.printf("server CPU %.1f s over %.1f s: %.0f delivered messages per CPU-second%n", cpuSeconds,
					elapsed, deliveredCount / cpuSeconds);
			System.out.printf("server RSS after the run: %d MiB%n", rssKiB() / 1024);
		}
	}

	private List<List<String[]>> createRooms() throws Exception {
		ApiClient api = new ApiClient(this.url);
		List<List<String[]>> result = new ArrayList<>();
		long start = System.nanoTime();
		for (int r = 0; r < this.rooms; r++) {
			ApiClient.CreatedRoom room = api.createRoom(Map.of("name", "bench " + r, "maxMembers", this.members));
			List<String[]> tokens = new ArrayList<>();
			for (int m = 0; m < this.members; m++) {
				tokens.add(new String[] { room.code(), api.join(room.code(), "m" + m).token() });
			}
			result.add(tokens);
		}
		System.out.printf("created %d rooms and %d members over REST in %.1f s%n", this.rooms,
				this.rooms * this.members, (System.nanoTime() - start) / 1e9);
		return result;
	}

	private List<List<Member>> connectAll(List<List<String[]>> roomsAndTokens) throws Exception {
		Semaphore inFlight = new Semaphore(256);
		CountDownLatch ready = new CountDownLatch(this.rooms * this.members);
		List<List<Member>> result = new ArrayList<>();
		int index = 0;
		for (List<String[]> room : roomsAndTokens) {
			List<Member> members = new ArrayList<>();
			for (String[] codeAndToken : room) {
				inFlight.acquire();
				Member member = new Member(codeAndToken[0], codeAndToken[1], () -> {
					inFlight.release();
					ready.countDown();
				});
				member.connect(this.clients.get(index++ % this.clients.size()));
				members.add(member);
			}
			result.add(members);
		}
		if (!ready.await(10, TimeUnit.MINUTES)) {
			throw new IllegalStateException("Not every client connected: " + ready.getCount() + " missing");
		}
		return result;
	}

	private long cpuTicks() {
		if (this.pid < 0) {
			return -1;
		}
		try {
			String stat = Files.readString(Path.of("/proc/" + this.pid + "/stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		}
		catch (Exception ex) {
			return -1;
		}
	}

	private long rssKiB() {
		if (this.pid < 0) {
			return 0;
		}
		try {
			for (String line : Files.readAllLines(Path.of("/proc/" + this.pid + "/status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
		}
		catch (Exception ex) {
			// fall through
		}
		return 0;
	}

	/** One member's STOMP connection. */
	private final class Member implements WebSocket.Listener {

		private final String code;

		private final String token;

		private final Runnable onReady;

		private final StringBuilder partial = new StringBuilder();

		private final AtomicLong sequence = new AtomicLong();

		private final long[] latencies = new long[4096];

		private int latencyCount;

		private WebSocket socket;

		private CompletableFuture<WebSocket> sending = CompletableFuture.completedFuture(null);

		private boolean ready;

		Member(String code, String token, Runnable onReady) {
			this.code = code;
			this.token = token;
			this.onReady = onReady;
		}

		void connect(HttpClient client) {
			String ws = LiveBenchmark.this.url.replaceFirst("^http", "ws") + "/ws";
			client.newWebSocketBuilder()
				.connectTimeout(Duration.ofSeconds(30))
				.buildAsync(URI.create(ws), this)
				.whenComplete((socket, failure) -> {
					if (failure != null) {
						System.err.println("connect failed: " + failure);
						this.onReady.run();
						return;
					}
					this.socket = socket;
					send("CONNECT\naccept-version:1.2\nheart-beat:0,0\ntoken:" + this.token + "\n\n\0"
							+ "SUBSCRIBE\nid:0\ndestination:/user/queue/room\n\n\0"
							+ "SUBSCRIBE\nid:1\ndestination:/topic/rooms/" + this.code + "\n\n\0");
				});
		}

		synchronized void send(String frame) {
			this.sending = this.sending.thenCompose((ignored) -> this.socket.sendText(frame, true));
		}

		void broadcast() {
			LiveBenchmark.this.sent.increment();
			send("SEND\ndestination:/app/rooms/" + this.code + "/broadcast\ncontent-type:application/json\n\n"
					+ "{\"data\":{\"t\":" + System.nanoTime() + ",\"n\":" + this.sequence.incrementAndGet() + "}}\0");
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				String message = this.partial.toString();
				this.partial.setLength(0);
				handle(message);
			}
			webSocket.request(1);
			return null;
		}

		private void handle(String message) {
			int from = 0;
			while (from < message.length()) {
				int end = message.indexOf('\0', from);
				if (end < 0) {
					end = message.length();
				}
				String frame = message.substring(from, end);
				from = end + 1;
				String trimmed = frame.stripLeading();
				if (trimmed.startsWith("MESSAGE")) {
					onMessage(trimmed);
				}
				else if (trimmed.startsWith("ERROR")) {
					System.err.println("ERROR frame: " + trimmed.replace('\n', ' '));
				}
			}
		}

		private void onMessage(String frame) {
			if (!this.ready && frame.contains("\"type\":\"snapshot\"")) {
				this.ready = true;
				this.onReady.run();
				return;
			}
			int at = frame.indexOf("\"type\":\"message\"");
			if (at < 0) {
				return;
			}
			int t = frame.indexOf("\"t\":", at);
			if (t < 0 || !LiveBenchmark.this.measuring) {
				return;
			}
			int endOfNumber = t + 4;
			while (endOfNumber < frame.length() && Character.isDigit(frame.charAt(endOfNumber))) {
				endOfNumber++;
			}
			long sentAt = Long.parseLong(frame.substring(t + 4, endOfNumber));
			LiveBenchmark.this.delivered.increment();
			recordLatency(System.nanoTime() - sentAt);
		}

		private synchronized void recordLatency(long nanos) {
			this.latencies[this.latencyCount++] = nanos;
			if (this.latencyCount == this.latencies.length) {
				LiveBenchmark.this.latencyChunks.add(this.latencies.clone());
				this.latencyCount = 0;
			}
		}

		@Override
		public void onOpen(WebSocket webSocket) {
			webSocket.request(1);
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			if (LiveBenchmark.this.measuring) {
				System.err.println("closed by the server: " + statusCode + " " + reason);
			}
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			System.err.println("socket error: " + error);
		}

	}

}
