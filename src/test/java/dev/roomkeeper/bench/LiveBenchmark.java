package dev.roomkeeper.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Load generator for the live API: {@code rooms} rooms of {@code members} members, every
 * member connected over STOMP and subscribed to its room, one member per room
 * broadcasting at {@code rate} messages per second. Reports the connect rate (clients
 * ready per second), delivered messages per second, delivery latency (p50/p99/max) and,
 * given the server's pid, the server's CPU time, messages per CPU-second and resident
 * memory (also per connection). Not a test: {@code bench/live.sh} runs it against a
 * packaged server pinned to one core.
 * <p>
 * The connections are {@link StompWebSocketClient}'s (non-blocking sockets on
 * {@code bench.selectors} threads); the {@link Connector} bounds the attempts in flight
 * and retries failed ones.
 * <p>
 * System properties: {@code bench.url} (http://127.0.0.1:8080), {@code bench.rooms}
 * (1000), {@code bench.members} (10), {@code bench.rate} (2 per room per second),
 * {@code bench.seconds} (20), {@code bench.pid} (the server's pid, optional),
 * {@code bench.inflight} (connection attempts under way at once, 64),
 * {@code bench.retries} (per member, 3), {@code bench.timeout} (seconds from TCP connect
 * to snapshot before an attempt counts as failed, 15), {@code bench.selectors} (1),
 * {@code bench.rest-threads} (concurrent REST set-up requests, 16); for two instances on
 * the Redis store, {@code bench.url2} (every other member connects to this second server,
 * the broadcaster stays on the first: messages to them cross instances) and
 * {@code bench.redis} (the servers' Redis, to report Redis commands per room event from
 * {@code INFO commandstats}).
 */
public final class LiveBenchmark {

	private static final Duration WARM_UP = Duration.ofSeconds(3);

	private final String url = System.getProperty("bench.url", "http://127.0.0.1:8080");

	/** A second server on the same Redis: every other member connects there. */
	private final String url2 = System.getProperty("bench.url2");

	/** The Redis of both servers, to count Redis commands per room event. */
	private final String redisUrl = System.getProperty("bench.redis");

	private final int rooms = Integer.getInteger("bench.rooms", 1000);

	private final int members = Integer.getInteger("bench.members", 10);

	private final double rate = Double.parseDouble(System.getProperty("bench.rate", "2"));

	private final int seconds = Integer.getInteger("bench.seconds", 20);

	private final ProcessStats server = new ProcessStats(Long.getLong("bench.pid", -1));

	private final int inFlight = Integer.getInteger("bench.inflight", 64);

	private final int retries = Integer.getInteger("bench.retries", 3);

	private final Duration timeout = Duration.ofSeconds(Integer.getInteger("bench.timeout", 15));

	private final int selectors = Integer.getInteger("bench.selectors", 1);

	private final int restThreads = Integer.getInteger("bench.rest-threads", 16);

	private final Deliveries deliveries = new Deliveries();

	private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, (task) -> {
		Thread thread = new Thread(task, "bench-scheduler");
		thread.setDaemon(true);
		return thread;
	});

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

	private void run() throws Exception {
		System.out.printf("workload: %d rooms x %d members, %.1f broadcasts/s per room, %d s%n", this.rooms,
				this.members, this.rate, this.seconds);
		long setUpStart = System.nanoTime();
		List<BenchRoom> benchRooms = BenchRoom.create(this.url, this.rooms, this.members, this.restThreads);
		System.out.printf("created %d rooms and %d members over REST in %.1f s (%d threads)%n", this.rooms,
				this.rooms * this.members, (System.nanoTime() - setUpStart) / 1e9, this.restThreads);

		long rssBefore = this.server.rssKiB();
		try (StompWebSocketClient client = new StompWebSocketClient(this.selectors)) {
			Connector connector = new Connector(client, this.scheduler, this.inFlight, this.retries, this.timeout);
			List<BenchMember> all = new ArrayList<>();
			List<BenchMember> senders = new ArrayList<>();
			for (BenchRoom room : benchRooms) {
				for (int m = 0; m < room.tokens().size(); m++) {
					boolean second = this.url2 != null && m % 2 == 1;
					URI ws = URI.create((second ? this.url2 : this.url).replaceFirst("^http", "ws") + "/ws");
					all.add(new BenchMember(ws, second, room.code(), room.tokens().get(m), this.deliveries));
				}
				senders.add(all.get(all.size() - room.tokens().size()));
			}
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
			measure(senders);
			if (connector.lost() > 0) {
				System.out.printf("connections lost after they were ready: %d%n", connector.lost());
			}
		}
	}

	private void measure(List<BenchMember> senders) throws InterruptedException {
		long periodNanos = (long) (1e9 / this.rate);
		for (int r = 0; r < senders.size(); r++) {
			this.scheduler.scheduleAtFixedRate(senders.get(r)::broadcast, (periodNanos * r) / senders.size(),
					periodNanos, TimeUnit.NANOSECONDS);
		}
		Thread.sleep(WARM_UP.toMillis());
		Map<String, Long> redisBefore = RedisCommandCounts.read(this.redisUrl);
		ProcessStats generator = ProcessStats.self();
		double serverCpuBefore = this.server.cpuSeconds();
		double generatorCpuBefore = generator.cpuSeconds();
		long start = System.nanoTime();
		this.deliveries.start();
		Thread.sleep(this.seconds * 1000L);
		this.deliveries.stop();
		double elapsed = (System.nanoTime() - start) / 1e9;
		double serverCpu = this.server.cpuSeconds() - serverCpuBefore;
		double generatorCpu = generator.cpuSeconds() - generatorCpuBefore;
		Map<String, Long> redisAfter = RedisCommandCounts.read(this.redisUrl);
		this.scheduler.shutdownNow();
		report(elapsed, serverCpu, generatorCpu, redisBefore, redisAfter);
	}

	private void report(double elapsed, double serverCpu, double generatorCpu, Map<String, Long> redisBefore,
			Map<String, Long> redisAfter) {
		long delivered = this.deliveries.delivered();
		System.out.printf("sent %d broadcasts, delivered %d messages: %.0f delivered/s (expected %.0f/s)%n",
				this.deliveries.sent(), delivered, delivered / elapsed, this.rooms * this.rate * this.members);
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
			System.out.printf("server CPU %.1f s over %.1f s: %.0f delivered messages per CPU-second%n", serverCpu,
					elapsed, delivered / serverCpu);
			System.out.printf("server RSS after the run: %d MiB%n", this.server.rssKiB() / 1024);
		}
		System.out.printf("load generator CPU %.1f s over %.1f s%n", generatorCpu, elapsed);
	}

}
