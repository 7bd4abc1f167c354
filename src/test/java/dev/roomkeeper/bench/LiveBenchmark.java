package dev.roomkeeper.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

/**
 * Load generator for the live API: {@code rooms} rooms of {@code members} members, every
 * member connected and in its room, one member per room (or every member) broadcasting at
 * {@code rate} messages per second. Reports the connect rate (clients ready per second),
 * delivered messages per second, delivery latency (p50/p99/max) and, given the server's
 * pid, the server's CPU time, messages per CPU-second and resident memory (also per
 * connection), and the generator's own CPU. Not a test: {@code bench/live.sh} runs it
 * against a packaged server pinned to one core, {@code bench/compare.sh} against
 * Roomkeeper and Socket.IO side by side.
 * <p>
 * Two protocols: {@code stomp} (Roomkeeper: rooms and members created over REST, each
 * member a {@link BenchMember}) and {@code socketio} (the comparison server under
 * {@code bench/socketio}: rooms are names, each member a {@link SocketIoBenchMember}).
 * The connections are {@link WebSocketClient}'s (non-blocking sockets on
 * {@code bench.selectors} threads); the {@link Connector} bounds the attempts in flight
 * and retries failed ones. Both count deliveries and latency in one {@link Deliveries}.
 * <p>
 * Two ways to send: by default each sender runs on a fixed-rate timer and stamps a
 * broadcast with the time it is sent. With {@code bench.intended=true} one pacing thread
 * walks a fixed schedule (sender {@code i} of {@code n} sends at
 * {@code t0 + i/(n*rate) + k/rate}) and stamps each broadcast with the time it was meant
 * to be sent, so a generator or server that falls behind shows as latency instead of
 * being hidden by sending less (no coordinated omission). Then the measurement counts the
 * broadcasts stamped inside the window and their deliveries, waiting (load still on) up
 * to 10 s after the window for late ones: one still missing then counts as lost.
 * <p>
 * System properties: {@code bench.url} (http://127.0.0.1:8080), {@code bench.rooms}
 * (1000), {@code bench.members} (10), {@code bench.rate} (2 broadcasts per second per
 * sender), {@code bench.seconds} (20), {@code bench.pid} (the server's pid, optional),
 * {@code bench.inflight} (connection attempts under way at once, 64),
 * {@code bench.retries} (per member, 3), {@code bench.timeout} (seconds from TCP connect
 * to ready before an attempt counts as failed, 15), {@code bench.selectors} (1),
 * {@code bench.rest-threads} (concurrent REST set-up requests, 16); for two instances,
 * {@code bench.url2} (every other member connects to this second server, the first member
 * of a room stays on the first: messages to the others cross instances) and
 * {@code bench.redis} (the servers' Redis, to report Redis commands per room event from
 * {@code INFO commandstats}, STOMP only). For the comparison: {@code bench.protocol}
 * ({@code stomp} or {@code socketio}), {@code bench.senders} ({@code one} per room or
 * {@code all} members), {@code bench.intended} (false), {@code bench.pids} (more
 * comma-separated pids whose CPU counts as the servers', e.g. a second server and Redis),
 * {@code bench.csv} (a file to append one result row to, with {@code bench.system} and
 * {@code bench.scenario} as its labels).
 */
public final class LiveBenchmark {

	/** The columns of a {@code bench.csv} row. */
	static final String CSV_HEADER = "system,scenario,rooms,members,senders_per_room,offered_per_s,delivered_per_s,"
			+ "delivered_ratio,p50_ms,p99_ms,max_ms,servers_cpu_s,deliveries_per_server_cpu_s,generator_cores,"
			+ "lost_connections,load1";

	private static final Duration WARM_UP = Duration.ofSeconds(3);

	/**
	 * How long deliveries of the window's broadcasts may arrive after it (intended mode).
	 */
	private static final Duration STRAGGLERS = Duration.ofSeconds(10);

	private final String url = System.getProperty("bench.url", "http://127.0.0.1:8080");

	/** A second server on the same Redis: every other member connects there. */
	private final String url2 = System.getProperty("bench.url2");

	/** The Redis of both servers, to count Redis commands per room event. */
	private final String redisUrl = System.getProperty("bench.redis");

	private final int rooms = Integer.getInteger("bench.rooms", 1000);

	private final int members = Integer.getInteger("bench.members", 10);

	private final double rate = Double.parseDouble(System.getProperty("bench.rate", "2"));

	private final int seconds = Integer.getInteger("bench.seconds", 20);

	/**
	 * CPU seconds of the server and of each other process given, over the measured run.
	 */
	private double[] eachCpu = new double[0];

	private final ProcessStats server = new ProcessStats(Long.getLong("bench.pid", -1));

	private final List<ProcessStats> otherServers = Arrays.stream(System.getProperty("bench.pids", "").split(","))
		.filter((pid) -> !pid.isBlank())
		.map((pid) -> new ProcessStats(Long.parseLong(pid.trim())))
		.toList();

	private final int inFlight = Integer.getInteger("bench.inflight", 64);

	private final int retries = Integer.getInteger("bench.retries", 3);

	private final Duration timeout = Duration.ofSeconds(Integer.getInteger("bench.timeout", 15));

	private final int selectors = Integer.getInteger("bench.selectors", 1);

	private final int restThreads = Integer.getInteger("bench.rest-threads", 16);

	private final boolean socketIo = System.getProperty("bench.protocol", "stomp").equals("socketio");

	private final boolean everyMemberSends = System.getProperty("bench.senders", "one").equals("all");

	private final boolean intendedTime = Boolean.getBoolean("bench.intended");

	private final String csv = System.getProperty("bench.csv");

	/**
	 * A webhook receiver's stats address ({@code delivered=N} in its body) to wait on
	 * before the load, so that the set-up's webhooks are not delivered during the
	 * measurement (see {@code bench/live.sh} with {@code BENCH_WEBHOOKS=1}).
	 */
	private final String settleUrl = System.getProperty("bench.settle-url");

	/** How many deliveries {@link #settleUrl} must report before the load starts. */
	private final long settleCount = Long.getLong("bench.settle-count", 0);

	private final Deliveries deliveries = new Deliveries();

	private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, (task) -> {
		Thread thread = new Thread(task, "bench-scheduler");
		thread.setDaemon(true);
		return thread;
	});

	private volatile boolean pacing = true;

	private long lostConnections;

	public static void main(String[] args) {
		try {
			new LiveBenchmark().run();
			System.exit(0);
		}
		catch (Exception ex) {
			System.err.print("benchmark failed: ");
			ex.printStackTrace();
			System.exit(1);
		}
	}

	/** Waits (at most 5 minutes) until the receiver has had the set-up's webhooks. */
	private void awaitWebhookBacklog() throws Exception {
		if (this.settleUrl == null) {
			return;
		}
		java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
		java.util.regex.Pattern delivered = java.util.regex.Pattern.compile("delivered=(\\d+)");
		long started = System.nanoTime();
		long count = 0;
		while (System.nanoTime() - started < java.util.concurrent.TimeUnit.MINUTES.toNanos(5)) {
			String body = http
				.send(java.net.http.HttpRequest.newBuilder(URI.create(this.settleUrl)).build(),
						java.net.http.HttpResponse.BodyHandlers.ofString())
				.body();
			java.util.regex.Matcher matcher = delivered.matcher(body);
			count = matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
			if (count >= this.settleCount) {
				break;
			}
			java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
		}
		System.out.printf("webhooks of the set-up: %d of %d delivered %.1f s after the clients were ready;"
				+ " the load starts now%n", count, this.settleCount, (System.nanoTime() - started) / 1e9);
	}

	private void run() throws Exception {
		System.out.printf("workload: %d rooms x %d members, %.2f broadcasts/s per %s, %d s (%s%s)%n", this.rooms,
				this.members, this.rate, this.everyMemberSends ? "member" : "room", this.seconds,
				this.socketIo ? "Socket.IO" : "STOMP",
				this.intendedTime ? ", latency from the intended send time" : "");
		long rssBefore = this.server.rssKiB();
		try (StompWebSocketClient stomp = new StompWebSocketClient(this.selectors);
				SocketIoWebSocketClient socketIoClient = new SocketIoWebSocketClient(this.selectors)) {
			List<BenchClient> all = this.socketIo ? socketIoMembers(socketIoClient) : stompMembers(stomp);
			List<BenchClient> senders = senders(all);
			Connector connector = new Connector(this.scheduler, this.inFlight, this.retries, this.timeout);
			Connector.Result connected = connector.connectAll(all);
			System.out.printf(
					"connected %d clients in %.1f s: %.0f connects/s (clients ready per second; %d in flight at most,"
							+ " %d failed attempts, %d retries)%n",
					connected.ready(), connected.seconds(), connected.readyPerSecond(), this.inFlight,
					connected.failures(), connected.retries());
			long rssConnected = this.server.rssKiB();
			long onServer = all.stream().filter((member) -> !member.acrossInstances()).count();
			System.out.printf(
					"server RSS with %d connections: %d MiB (before connecting: %d MiB): %.1f KiB more per connection%n",
					onServer, rssConnected / 1024, rssBefore / 1024, (double) (rssConnected - rssBefore) / onServer);
			awaitWebhookBacklog();
			measure(senders);
			this.lostConnections = connector.lost();
			if (connector.lost() > 0) {
				System.out.printf("connections lost after they were ready: %d%n", connector.lost());
			}
		}
	}

	private List<BenchClient> stompMembers(StompWebSocketClient client) throws Exception {
		long setUpStart = System.nanoTime();
		List<BenchRoom> benchRooms = BenchRoom.create(this.url, this.rooms, this.members, this.restThreads);
		System.out.printf("created %d rooms and %d members over REST in %.1f s (%d threads)%n", this.rooms,
				this.rooms * this.members, (System.nanoTime() - setUpStart) / 1e9, this.restThreads);
		List<BenchClient> all = new ArrayList<>();
		for (BenchRoom room : benchRooms) {
			for (int m = 0; m < room.tokens().size(); m++) {
				boolean second = this.url2 != null && m % 2 == 1;
				URI ws = URI.create((second ? this.url2 : this.url).replaceFirst("^http", "ws") + "/ws");
				all.add(new BenchMember(client, ws, second, room.code(), room.tokens().get(m), this.deliveries));
			}
		}
		return all;
	}

	private List<BenchClient> socketIoMembers(SocketIoWebSocketClient client) {
		List<BenchClient> all = new ArrayList<>();
		for (int r = 0; r < this.rooms; r++) {
			for (int m = 0; m < this.members; m++) {
				boolean second = this.url2 != null && m % 2 == 1;
				URI server = URI.create((second ? this.url2 : this.url).replaceFirst("^http", "ws"));
				all.add(new SocketIoBenchMember(client, server, second, "bench-" + r, "m" + m, this.deliveries));
			}
		}
		return all;
	}

	/**
	 * The first member of each room, or every member ordered member by member across the
	 * rooms (so that consecutive sends go to different rooms).
	 */
	private List<BenchClient> senders(List<BenchClient> all) {
		int perRoom = this.everyMemberSends ? this.members : 1;
		return IntStream.range(0, this.rooms * perRoom)
			.mapToObj((i) -> all.get((i % this.rooms) * this.members + i / this.rooms))
			.toList();
	}

	private void measure(List<BenchClient> senders) throws InterruptedException {
		if (this.intendedTime) {
			Thread pacer = new Thread(() -> pace(senders), "bench-pacer");
			pacer.setDaemon(true);
			pacer.start();
		}
		else {
			long periodNanos = (long) (1e9 / this.rate);
			for (int r = 0; r < senders.size(); r++) {
				BenchClient sender = senders.get(r);
				this.scheduler.scheduleAtFixedRate(() -> sender.broadcast(System.nanoTime()),
						(periodNanos * r) / senders.size(), periodNanos, TimeUnit.NANOSECONDS);
			}
		}
		Thread.sleep(WARM_UP.toMillis());
		Map<String, Long> redisBefore = RedisCommandCounts.read(this.redisUrl);
		ProcessStats generator = ProcessStats.self();
		double[] eachCpuBefore = eachCpuSeconds();
		double generatorCpuBefore = generator.cpuSeconds();
		long start = System.nanoTime();
		if (this.intendedTime) {
			this.deliveries.startWindow(start);
		}
		else {
			this.deliveries.start();
		}
		Thread.sleep(this.seconds * 1000L);
		long end = System.nanoTime();
		if (this.intendedTime) {
			this.deliveries.endWindow(end);
		}
		else {
			this.deliveries.stop();
		}
		double elapsed = (end - start) / 1e9;
		this.eachCpu = eachCpuSeconds();
		double serverCpu = 0;
		for (int i = 0; i < this.eachCpu.length; i++) {
			this.eachCpu[i] -= eachCpuBefore[i];
			serverCpu += this.eachCpu[i];
		}
		if (!this.server.known()) {
			serverCpu = -1;
		}
		double generatorCpu = generator.cpuSeconds() - generatorCpuBefore;
		Map<String, Long> redisAfter = RedisCommandCounts.read(this.redisUrl);
		if (this.intendedTime) {
			awaitStragglers();
			this.deliveries.stop();
		}
		this.pacing = false;
		this.scheduler.shutdownNow();
		report(elapsed, serverCpu, generatorCpu, redisBefore, redisAfter);
	}

	/**
	 * Waits, with the load still on, until every broadcast of the window has reached
	 * every member of its room or {@link #STRAGGLERS} have passed; what has not arrived
	 * by then counts as lost.
	 */
	private void awaitStragglers() throws InterruptedException {
		long deadline = System.nanoTime() + STRAGGLERS.toNanos();
		while (this.deliveries.delivered() < this.deliveries.sent() * this.members && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
	}

	/**
	 * Sends on a fixed schedule, each broadcast stamped with the time it was meant to be
	 * sent; late sends go out at once, stamped with their intended time.
	 */
	private void pace(List<BenchClient> senders) {
		double interval = 1e9 / (senders.size() * this.rate);
		long start = System.nanoTime();
		for (long k = 0; this.pacing; k++) {
			long intended = start + (long) (k * interval);
			long wait = intended - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			senders.get((int) (k % senders.size())).broadcast(intended);
		}
	}

	/** CPU seconds of the server, then of each other process given. */
	private double[] eachCpuSeconds() {
		double[] each = new double[1 + this.otherServers.size()];
		each[0] = this.server.cpuSeconds();
		for (int i = 0; i < this.otherServers.size(); i++) {
			each[i + 1] = this.otherServers.get(i).cpuSeconds();
		}
		return each;
	}

	private void report(double elapsed, double serverCpu, double generatorCpu, Map<String, Long> redisBefore,
			Map<String, Long> redisAfter) {
		long delivered = this.deliveries.delivered();
		int sendersPerRoom = this.everyMemberSends ? this.members : 1;
		double offered = this.rooms * sendersPerRoom * this.rate * this.members;
		System.out.printf("sent %d broadcasts, delivered %d messages: %.0f delivered/s (expected %.0f/s)%n",
				this.deliveries.sent(), delivered, delivered / elapsed, offered);
		String latency = this.deliveries.latencies().summary();
		if (latency != null) {
			System.out.println("latency " + latency);
		}
		if (this.url2 != null) {
			System.out.printf("across instances (members on the second server): %.0f delivered/s%n",
					this.deliveries.deliveredAcross() / elapsed);
			String across = this.deliveries.latenciesAcross().summary();
			if (across != null) {
				System.out.println("across instances latency " + across);
			}
		}
		if (this.redisUrl != null) {
			System.out
				.println("Redis commands per room event: " + RedisCommandCounts.perEvent(redisBefore, redisAfter));
		}
		if (this.server.known()) {
			System.out.printf("server%s CPU %.1f s over %.1f s: %.0f delivered messages per CPU-second%n",
					this.otherServers.isEmpty() ? "" : "s (and the other processes given)", serverCpu, elapsed,
					delivered / serverCpu);
			if (!this.otherServers.isEmpty()) {
				StringBuilder each = new StringBuilder();
				for (double seconds : this.eachCpu) {
					each.append(String.format(Locale.ROOT, "%s%.1f s", each.isEmpty() ? "" : ", ", seconds));
				}
				System.out.println("CPU of each (bench.pid, then bench.pids in order): " + each);
			}
			System.out.printf("server RSS after the run: %d MiB%n", this.server.rssKiB() / 1024);
		}
		System.out.printf("load generator CPU %.1f s over %.1f s%n", generatorCpu, elapsed);
		if (this.csv != null) {
			double expected = (double) this.deliveries.sent() * this.members;
			Latencies latencies = this.deliveries.latencies();
			appendCsv(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%.0f,%.0f,%.3f,%.2f,%.2f,%.2f,%.2f,%.0f,%.2f,%d,%s",
					label("bench.system"), label("bench.scenario"), this.rooms, this.members, sendersPerRoom, offered,
					delivered / elapsed, (expected > 0) ? delivered / expected : 0, latencies.percentileMillis(50),
					latencies.percentileMillis(99), latencies.percentileMillis(100), serverCpu,
					(serverCpu > 0) ? delivered / serverCpu : 0, generatorCpu / elapsed, this.lostConnections,
					loadAverage()));
		}
	}

	private void appendCsv(String row) {
		try {
			Path file = Path.of(this.csv);
			if (!Files.exists(file) || Files.size(file) == 0) {
				Files.writeString(file, CSV_HEADER + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
			}
			Files.writeString(file, row + "\n", StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot write " + this.csv, ex);
		}
	}

	/** A label for the CSV: commas would split it, so they become semicolons. */
	private static String label(String property) {
		return System.getProperty(property, "?").replace(',', ';');
	}

	/** The 1-minute load average. */
	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
		}
		catch (IOException ex) {
			return "?";
		}
	}

}
