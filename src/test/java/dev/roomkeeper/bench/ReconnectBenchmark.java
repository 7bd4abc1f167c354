package dev.roomkeeper.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Many clients reconnecting at once after a graceful restart of the server, catching up
 * by recovery ({@code since-seq} and {@code epoch}: the missed events and
 * {@code recovered}) or by snapshot. Not a test: {@code bench/reconnect.sh} runs it.
 * <p>
 * The benchmark launches the server itself (the command line is its arguments, e.g.
 * {@code taskset -c 0 java -jar roomkeeper.jar --server.port=...}), creates
 * {@code bench.rooms} rooms of {@code bench.members} clients plus one chatter each over
 * REST, and connects every client (snapshot). Then, for each mode of {@code bench.modes}
 * ({@code recovery} or {@code snapshot}, in order):
 * <ol>
 * <li>the chatters connect, every client disconnects (the clients are away), and each
 * chatter sends {@code bench.missed} chat messages at {@code bench.rate} per second: the
 * clients miss them, and their roommates' {@code member-disconnected} events;</li>
 * <li>the chatters leave, and the server is stopped with SIGTERM (graceful: the file
 * store flushes everything) and launched again;</li>
 * <li>as soon as it answers, every client reconnects ({@code bench.inflight} attempts
 * under way at once, failed ones retried), subscribing with {@code since-seq} and
 * {@code epoch} in the {@code recovery} mode and without them in the {@code snapshot}
 * mode.</li>
 * </ol>
 * Reported per mode: the time from the first answer until every client is current (holds
 * its {@code recovered} or {@code snapshot}) and from SIGTERM until then, the server's
 * CPU over the reconnection (and its start-up), snapshots and recoveries with the events
 * recovered, the MESSAGE characters the clients received, the bytes the server wrote to
 * storage while the clients were away, and faults: an event seq that skips or repeats, a
 * {@code recovered} that does not end at the last event received, an {@code error} event,
 * or rooms whose clients disagree on the last seq once all are current (all of which
 * should be 0).
 * <p>
 * System properties: {@code bench.url} (the server's address, http://127.0.0.1:8080),
 * {@code bench.rooms} (1000), {@code bench.members} (10 clients per room),
 * {@code bench.missed} (50), {@code bench.rate} (10 per second per room),
 * {@code bench.modes} (recovery,snapshot), {@code bench.inflight} (64),
 * {@code bench.retries} (3), {@code bench.timeout} (30 s from TCP connect to current),
 * {@code bench.selectors} (1), {@code bench.rest-threads} (16), {@code bench.server-log}
 * (the server's output, appended; default {@code reconnect-server.log} in the temp
 * directory).
 */
public final class ReconnectBenchmark {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

	/** Longer than the store's flush intervals (1 s), so the chat is journaled. */
	private static final Duration SETTLE = Duration.ofSeconds(3);

	private final String url = System.getProperty("bench.url", "http://127.0.0.1:8080");

	private final int rooms = Integer.getInteger("bench.rooms", 1000);

	private final int members = Integer.getInteger("bench.members", 10);

	private final int missed = Integer.getInteger("bench.missed", 50);

	private final double rate = Double.parseDouble(System.getProperty("bench.rate", "10"));

	private final List<String> modes = List.of(System.getProperty("bench.modes", "recovery,snapshot").split(","));

	private final int inFlight = Integer.getInteger("bench.inflight", 64);

	private final int retries = Integer.getInteger("bench.retries", 3);

	private final Duration timeout = Duration.ofSeconds(Integer.getInteger("bench.timeout", 30));

	private final int selectors = Integer.getInteger("bench.selectors", 1);

	private final int restThreads = Integer.getInteger("bench.rest-threads", 16);

	private final Path serverLog = Path.of(System.getProperty("bench.server-log",
			Path.of(System.getProperty("java.io.tmpdir"), "reconnect-server.log").toString()));

	private final List<String> serverCommand;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final CatchUps catchUps = new CatchUps();

	private final Deliveries chat = new Deliveries();

	private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, (task) -> {
		Thread thread = new Thread(task, "bench-scheduler");
		thread.setDaemon(true);
		return thread;
	});

	private Process server;

	private ReconnectBenchmark(List<String> serverCommand) {
		this.serverCommand = serverCommand;
	}

	public static void main(String[] args) {
		if (args.length == 0) {
			System.err.println("usage: ReconnectBenchmark <server command line...> (see bench/reconnect.sh)");
			System.exit(2);
		}
		ReconnectBenchmark benchmark = new ReconnectBenchmark(List.of(args));
		Runtime.getRuntime().addShutdownHook(new Thread(benchmark::stopServer));
		try {
			benchmark.run();
			benchmark.stopServer();
			System.exit(0);
		}
		catch (Exception ex) {
			System.err.print("benchmark failed: ");
			ex.printStackTrace();
			System.exit(1);
		}
	}

	private void run() throws Exception {
		System.out.printf(
				"workload: %d rooms x %d clients (+1 chatter per room), %d messages missed per room at %.0f/s,"
						+ " modes %s, %d reconnections in flight at most%n",
				this.rooms, this.members, this.missed, this.rate, this.modes, this.inFlight);
		launchServer();
		long setUpStart = System.nanoTime();
		List<BenchRoom> benchRooms = BenchRoom.create(this.url, this.rooms, this.members + 1, this.restThreads);
		System.out.printf("created %d rooms and %d members over REST in %.1f s%n", this.rooms,
				this.rooms * (this.members + 1), (System.nanoTime() - setUpStart) / 1e9);
		URI ws = URI.create(this.url.replaceFirst("^http", "ws") + "/ws");
		try (StompWebSocketClient client = new StompWebSocketClient(this.selectors)) {
			List<BenchMember> chatters = new ArrayList<>();
			List<BenchMember> clients = new ArrayList<>();
			Deliveries notCounted = new Deliveries();
			for (BenchRoom room : benchRooms) {
				chatters.add(new BenchMember(client, ws, false, room.code(), room.tokens().get(0), this.chat));
				for (int m = 1; m < room.tokens().size(); m++) {
					clients.add(new BenchMember(client, ws, false, room.code(), room.tokens().get(m), notCounted,
							this.catchUps));
				}
			}
			Connector.Result first = connect(clients, false);
			System.out.printf("connected %d clients in %.1f s (snapshots)%n", first.ready(), first.seconds());
			for (String mode : this.modes) {
				round(chatters, clients, mode.strip());
			}
		}
		this.scheduler.shutdownNow();
	}

	/**
	 * Clients away while the rooms chat, a graceful restart, every client back at once.
	 */
	private void round(List<BenchMember> chatters, List<BenchMember> clients, String mode) throws Exception {
		if (!mode.equals("recovery") && !mode.equals("snapshot")) {
			throw new IllegalArgumentException("bench.modes: recovery or snapshot, not " + mode);
		}
		ProcessStats stats = new ProcessStats(this.server.pid());
		connect(chatters, false);
		long storageBefore = stats.bytesToStorage();
		double cpuBefore = stats.cpuSeconds();
		clients.forEach(BenchMember::disconnect);
		chatWhileAway(chatters);
		chatters.forEach(BenchMember::disconnect);
		Thread.sleep(SETTLE.toMillis());
		long storage = stats.bytesToStorage() - storageBefore;
		double awayCpu = stats.cpuSeconds() - cpuBefore;

		long stopping = System.nanoTime();
		stopServer();
		double stopSeconds = (System.nanoTime() - stopping) / 1e9;
		double startSeconds = launchServer();
		stats = new ProcessStats(this.server.pid());
		double startCpu = stats.cpuSeconds();

		this.catchUps.reset();
		Connector.Result back = connect(clients, mode.equals("recovery"));
		double reconnectCpu = stats.cpuSeconds() - startCpu;
		double outage = (System.nanoTime() - stopping) / 1e9;
		int disagreeing = roomsNotAgreeing(clients);
		System.out.printf("%n--- %s: %d clients reconnecting at once after a graceful restart%n", mode, clients.size());
		System.out.printf(
				"while away: %d messages in %d rooms; server wrote %.1f MB to storage (%.0f bytes per message),"
						+ " CPU %.1f s%n",
				this.chat.delivered(), this.rooms, storage / 1e6, (double) storage / this.chat.delivered(), awayCpu);
		System.out.printf("restart: stopped in %.1f s, answered %.1f s after launch (start-up CPU %.1f s)%n",
				stopSeconds, startSeconds, startCpu);
		System.out.printf(
				"all %d clients current %.2f s after the first answer (%.0f clients/s), %.1f s after SIGTERM;"
						+ " %d failed attempts, %d retries%n",
				back.ready(), back.seconds(), back.readyPerSecond(), outage, back.failures(), back.retries());
		System.out.printf("server CPU for the reconnection: %.2f s (%.0f us per client)%n", reconnectCpu,
				reconnectCpu * 1e6 / clients.size());
		System.out.printf(
				"caught up: %d recovered (%d events, %.1f per client), %d snapshots; clients received %.1f MB"
						+ " of MESSAGE frames (%.0f per client)%n",
				this.catchUps.recoveries(), this.catchUps.recoveredEvents(),
				(double) this.catchUps.recoveredEvents() / Math.max(1, this.catchUps.recoveries()),
				this.catchUps.snapshots(), this.catchUps.frameChars() / 1e6,
				(double) this.catchUps.frameChars() / clients.size());
		System.out.printf("faults: %s; rooms whose clients disagree on the last seq: %d%n",
				this.catchUps.faultSummary(), disagreeing);
	}

	private Connector.Result connect(List<BenchMember> members, boolean resume) throws InterruptedException {
		members.forEach((member) -> member.prepare(resume));
		return new Connector(this.scheduler, this.inFlight, this.retries, this.timeout).connectAll(members);
	}

	/**
	 * Each chatter sends its messages, paced; returns once the chatters have received
	 * them all (the server has handled them).
	 */
	private void chatWhileAway(List<BenchMember> chatters) throws InterruptedException {
		this.chat.start();
		long period = (long) (1e9 / this.rate);
		long start = System.nanoTime();
		for (int i = 0; i < this.missed; i++) {
			long now = System.nanoTime();
			chatters.forEach((chatter) -> chatter.broadcast(now));
			long next = start + (i + 1) * period;
			TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
		}
		long expected = (long) this.missed * chatters.size();
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (this.chat.delivered() < expected && System.nanoTime() < deadline) {
			TimeUnit.MILLISECONDS.sleep(20);
		}
		this.chat.stop();
		if (this.chat.delivered() < expected) {
			throw new IllegalStateException(
					"the chatters received " + this.chat.delivered() + " of their " + expected + " messages");
		}
	}

	/**
	 * Rooms whose clients do not all hold the same last seq, waiting up to 10 s for the
	 * last live events (their roommates' {@code member-connected}) to arrive.
	 */
	private int roomsNotAgreeing(List<BenchMember> clients) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (true) {
			Map<String, Set<Long>> seqs = new HashMap<>();
			for (BenchMember member : clients) {
				seqs.computeIfAbsent(member.code(), (code) -> new HashSet<>()).add(member.lastSeq());
			}
			int disagreeing = (int) seqs.values().stream().filter((set) -> set.size() > 1).count();
			if (disagreeing == 0 || System.nanoTime() > deadline) {
				return disagreeing;
			}
			TimeUnit.MILLISECONDS.sleep(100);
		}
	}

	/** Launches the server and waits for its first answer; returns the seconds taken. */
	private double launchServer() throws IOException, InterruptedException {
		long launched = System.nanoTime();
		this.server = new ProcessBuilder(this.serverCommand).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.serverLog.toFile()))
			.start();
		HttpRequest probe = HttpRequest.newBuilder(URI.create(this.url + "/api/rooms"))
			.timeout(Duration.ofSeconds(2))
			.build();
		long deadline = launched + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.server.isAlive()) {
				throw new IllegalStateException(
						"the server exited with " + this.server.exitValue() + "; see " + this.serverLog);
			}
			try {
				if (this.http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return (System.nanoTime() - launched) / 1e9;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			TimeUnit.MILLISECONDS.sleep(20);
		}
		throw new IllegalStateException(
				"the server did not answer within " + START_TIMEOUT + "; see " + this.serverLog);
	}

	/** SIGTERM, and waits for the server to exit (a graceful stop). */
	private synchronized void stopServer() {
		if (this.server == null || !this.server.isAlive()) {
			return;
		}
		this.server.destroy();
		try {
			if (!this.server.waitFor(60, TimeUnit.SECONDS)) {
				System.err.println("the server did not stop within 60 s after SIGTERM: killed");
				this.server.destroyForcibly().waitFor();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
