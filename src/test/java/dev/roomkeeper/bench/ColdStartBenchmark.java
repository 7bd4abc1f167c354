package dev.roomkeeper.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The first seconds of a server just launched: waits for its first HTTP answer (any
 * status, polled every 5 ms from before the launch) and prints the time from launch to
 * that answer; then, unless {@code bench.seconds} is 0, sets up {@code bench.rooms} rooms
 * of {@code bench.members} members over REST, connects every member over STOMP, and for
 * {@code bench.seconds} seconds runs two loads at once: one REST client per member
 * patching its room's state ({@code POST /api/rooms/{code}/state}, closed loop), and one
 * broadcaster per room keeping {@code bench.window} broadcasts in flight (STOMP
 * {@code /app/rooms/{code}/broadcast}, each delivered to every member). Prints, for each
 * second since the first answer, the REST state writes and the STOMP message deliveries
 * in it, then the warm rate (the mean of the last 10 seconds) and how soon after the
 * first answer each load reached 80% of it. Not a test: {@code bench/coldstart.sh} runs
 * it against servers it launches.
 * <p>
 * System properties: {@code bench.url} (http://127.0.0.1:8080), {@code bench.launched} (a
 * file the launcher writes the launch time to, epoch milliseconds, once it has started
 * the server), {@code bench.seconds} (30), {@code bench.rooms} (16),
 * {@code bench.members} (4), {@code bench.window} (8); with {@code bench.populate} (a
 * number of rooms) it only creates that many rooms and exits.
 */
public final class ColdStartBenchmark {

	private static final Duration FIRST_ANSWER_TIMEOUT = Duration.ofSeconds(120);

	private static final int WARM_SECONDS = 10;

	private final String url = System.getProperty("bench.url", "http://127.0.0.1:8080");

	private final int seconds = Integer.getInteger("bench.seconds", 30);

	private final int rooms = Integer.getInteger("bench.rooms", 16);

	private final int members = Integer.getInteger("bench.members", 4);

	private final int window = Integer.getInteger("bench.window", 8);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private long firstAnswerNanos;

	public static void main(String[] args) {
		try {
			ColdStartBenchmark benchmark = new ColdStartBenchmark();
			Integer populate = Integer.getInteger("bench.populate");
			if (populate != null) {
				benchmark.populate(populate);
			}
			else {
				benchmark.run();
			}
			System.exit(0);
		}
		catch (Exception ex) {
			ex.printStackTrace();
			System.exit(1);
		}
	}

	private void populate(int count) throws Exception {
		long started = System.nanoTime();
		awaitFirstAnswer();
		BenchRoom.create(this.url, count, 1, 16);
		System.out.printf("populated %d rooms in %.1f s%n", count, (System.nanoTime() - started) / 1e9);
	}

	private void run() throws Exception {
		System.out.println("polling");
		long firstAnswerMillis = awaitFirstAnswer();
		String launchedFile = System.getProperty("bench.launched");
		if (launchedFile != null) {
			long launched = Long.parseLong(Files.readString(Path.of(launchedFile)).trim());
			System.out.printf("first answer %d ms after launch%n", firstAnswerMillis - launched);
		}
		if (this.seconds > 0) {
			load();
		}
	}

	/** Polls until the server answers anything; the wall-clock time of that answer. */
	private long awaitFirstAnswer() throws InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.url + "/actuator/health"))
			.timeout(Duration.ofSeconds(10))
			.build();
		long deadline = System.nanoTime() + FIRST_ANSWER_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			try {
				this.http.send(request, HttpResponse.BodyHandlers.discarding());
				this.firstAnswerNanos = System.nanoTime();
				return System.currentTimeMillis();
			}
			catch (ConnectException ex) {
				Thread.sleep(5);
			}
			catch (IOException ex) {
				Thread.sleep(5);
			}
		}
		throw new IllegalStateException("No answer from " + this.url + " within " + FIRST_ANSWER_TIMEOUT);
	}

	private void load() throws Exception {
		List<BenchRoom> benchRooms = BenchRoom.create(this.url, this.rooms, this.members, 8);
		int buckets = this.seconds + 60;
		AtomicLongArray writes = new AtomicLongArray(buckets);
		AtomicLongArray deliveries = new AtomicLongArray(buckets);
		try (StompWebSocketClient stomp = new StompWebSocketClient(1)) {
			List<Fanout> fanouts = connect(stomp, benchRooms, deliveries);
			long setUp = System.nanoTime();
			System.out.printf("set-up (%d rooms x %d members, REST and STOMP) done %.1f s after the first answer%n",
					this.rooms, this.members, (setUp - this.firstAnswerNanos) / 1e9);
			long end = setUp + TimeUnit.SECONDS.toNanos(this.seconds);
			fanouts.forEach(Fanout::start);
			runRestWriters(benchRooms, writes, end);
			fanouts.forEach(Fanout::stop);
			report(writes, deliveries, (int) ((setUp - this.firstAnswerNanos) / 1_000_000_000L));
		}
	}

	private List<Fanout> connect(StompWebSocketClient stomp, List<BenchRoom> benchRooms, AtomicLongArray deliveries)
			throws InterruptedException {
		CountDownLatch ready = new CountDownLatch(this.rooms * this.members);
		List<Fanout> fanouts = new ArrayList<>();
		URI ws = URI.create(this.url.replaceFirst("^http", "ws") + "/ws");
		for (BenchRoom room : benchRooms) {
			Fanout fanout = new Fanout(room.code(), this.window, deliveries, ready);
			for (int m = 0; m < room.tokens().size(); m++) {
				StompWebSocketClient.Connection connection = stomp.connect(ws,
						Map.of("accept-version", "1.2", "heart-beat", "0,0", "token", room.tokens().get(m)),
						List.of("/user/queue/room", "/topic/rooms/" + room.code()), fanout);
				if (m == 0) {
					fanout.sender = connection;
				}
			}
			fanouts.add(fanout);
		}
		if (!ready.await(60, TimeUnit.SECONDS)) {
			throw new IllegalStateException("STOMP members not ready after 60 s: " + ready.getCount() + " left");
		}
		return fanouts;
	}

	private void runRestWriters(List<BenchRoom> benchRooms, AtomicLongArray writes, long end)
			throws InterruptedException {
		ExecutorService writers = Executors.newFixedThreadPool(this.rooms * this.members);
		AtomicLong failures = new AtomicLong();
		int client = 0;
		for (BenchRoom room : benchRooms) {
			for (String token : room.tokens()) {
				int id = client++;
				writers.execute(() -> {
					HttpRequest.Builder builder = HttpRequest
						.newBuilder(URI.create(this.url + "/api/rooms/" + room.code() + "/state"))
						.timeout(Duration.ofSeconds(30))
						.header("Content-Type", "application/json")
						.header("Authorization", "Bearer " + token);
					long n = 0;
					while (System.nanoTime() < end) {
						HttpRequest request = builder
							.POST(HttpRequest.BodyPublishers.ofString("{\"patch\":{\"c" + id + "\":" + (n++) + "}}"))
							.build();
						try {
							HttpResponse<Void> response = this.http.send(request,
									HttpResponse.BodyHandlers.discarding());
							if (response.statusCode() == 200) {
								writes.incrementAndGet(second());
							}
							else {
								failures.incrementAndGet();
							}
						}
						catch (IOException ex) {
							failures.incrementAndGet();
						}
						catch (InterruptedException ex) {
							return;
						}
					}
				});
			}
		}
		writers.shutdown();
		writers.awaitTermination(this.seconds + 60, TimeUnit.SECONDS);
		if (failures.get() > 0) {
			System.out.printf("REST writes that failed: %d%n", failures.get());
		}
	}

	/** Seconds since the first answer, as a bucket index. */
	private int second() {
		return (int) Math.min((System.nanoTime() - this.firstAnswerNanos) / 1_000_000_000L, this.seconds + 59);
	}

	private void report(AtomicLongArray writes, AtomicLongArray deliveries, int firstLoaded) {
		int last = firstLoaded + this.seconds;
		System.out.printf("%8s %14s %20s%n", "second", "REST writes/s", "STOMP deliveries/s");
		for (int s = firstLoaded; s < last; s++) {
			System.out.printf("%8d %14d %20d%n", s + 1, writes.get(s), deliveries.get(s));
		}
		// the first bucket is partial (the load starts within it), the last one too
		summarize("REST writes/s", writes, firstLoaded + 1, last - 1);
		summarize("STOMP deliveries/s", deliveries, firstLoaded + 1, last - 1);
	}

	private static void summarize(String name, AtomicLongArray counts, int from, int to) {
		double warm = 0;
		for (int s = to - WARM_SECONDS; s < to; s++) {
			warm += counts.get(s);
		}
		warm /= WARM_SECONDS;
		int reached = -1;
		for (int s = from; s < to; s++) {
			if (counts.get(s) >= 0.8 * warm) {
				reached = s + 1;
				break;
			}
		}
		double firstTen = 0;
		int n = 0;
		for (int s = from; s < Math.min(10, to); s++) {
			firstTen += counts.get(s);
			n++;
		}
		System.out.printf(
				"%s: warm (mean of seconds %d-%d) %.0f; 80%% of it first reached in second %s after the first answer;"
						+ " mean of seconds %d-10: %s%n",
				name, to - WARM_SECONDS + 1, to, warm, (reached < 0) ? "never" : Integer.toString(reached), from + 1,
				(n > 0) ? String.format("%.0f (%.0f%% of warm)", firstTen / n, 100 * firstTen / n / warm) : "n/a");
	}

	/**
	 * One room's STOMP members: counts the message events they receive, and keeps the
	 * first member sending broadcasts, {@code window} of them in flight.
	 */
	private final class Fanout implements StompWebSocketClient.Handler {

		private static final String MESSAGE_EVENT = "\"type\":\"message\"";

		private final String destination;

		private final int window;

		private final AtomicLongArray deliveries;

		private final CountDownLatch ready;

		private volatile StompWebSocketClient.Connection sender;

		private volatile boolean sending;

		Fanout(String code, int window, AtomicLongArray deliveries, CountDownLatch ready) {
			this.destination = "/app/rooms/" + code + "/broadcast";
			this.window = window;
			this.deliveries = deliveries;
			this.ready = ready;
		}

		void start() {
			this.sending = true;
			for (int i = 0; i < this.window; i++) {
				send();
			}
		}

		void stop() {
			this.sending = false;
		}

		private void send() {
			this.sender.send(this.destination, "application/json", "{\"data\":{\"t\":" + System.nanoTime() + "}}");
		}

		@Override
		public void onFrame(StompWebSocketClient.Connection connection, String command, String frame) {
			if (!"MESSAGE".equals(command)) {
				if ("ERROR".equals(command)) {
					System.out.println("STOMP ERROR: " + frame.replace('\n', ' '));
				}
				return;
			}
			if (frame.contains("\"type\":\"snapshot\"")) {
				this.ready.countDown();
			}
			else if (frame.contains(MESSAGE_EVENT)) {
				this.deliveries.incrementAndGet(second());
				if (connection == this.sender && this.sending) {
					send();
				}
			}
		}

		@Override
		public void onClosed(StompWebSocketClient.Connection connection, String reason) {
			System.out.println("STOMP connection closed: " + reason);
		}

	}

}
