package dev.roomkeeper.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import dev.roomkeeper.room.CreateRoomRequest;
import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.JoinRoomRequest;
import dev.roomkeeper.room.RoomService;
import dev.roomkeeper.room.StatePatchRequest;
import dev.roomkeeper.support.RunningApp;

/**
 * Webhook deliveries per second, and per CPU-second of the server, to a local receiver: a
 * backlog of {@code bench.rooms} × {@code bench.perRoom} {@code room.state} webhooks is
 * raised while the receiver answers 503, then the receiver answers 204 and the delivery
 * of every webhook (signed, sent, removed from its room's outbox) is timed. This JVM is
 * the server; its CPU time over the delivery is measured (from {@code /proc}), so the
 * per-CPU-second figure does not depend on how loaded the machine is.
 * <p>
 * With {@code bench.receiver} (the base URL of a {@link LocalWebhookReceiver} running in
 * its own process) the receiver's work is not in this JVM; without it a receiver is
 * started in this JVM, and its CPU then counts as the server's. {@code bench/webhooks.sh}
 * runs this JVM pinned to CPU 0 and the receiver pinned to CPU 1. Not a test: run it with
 *
 * <pre>
 * bench/webhooks.sh
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.roomkeeper.bench.WebhookBenchmark
 * </pre>
 *
 * Optional system properties: {@code bench.store} ({@code memory} or {@code file}),
 * {@code bench.rooms} (200), {@code bench.perRoom} (50), {@code bench.threads} (sender
 * threads, {@code rooms.webhooks.threads}; the server's default when unset),
 * {@code bench.receiver}, {@code bench.rounds} (3: a backlog is raised and delivered this
 * many times; the first round warms the JIT up, and its figures say so).
 */
public final class WebhookBenchmark {

	private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

	private static final HttpClient CONTROL = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private WebhookBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		String store = System.getProperty("bench.store", "memory");
		int rooms = Integer.getInteger("bench.rooms", 200);
		int perRoom = Integer.getInteger("bench.perRoom", 50);
		String threads = System.getProperty("bench.threads");
		String external = System.getProperty("bench.receiver");
		int rounds = Integer.getInteger("bench.rounds", 3);
		Path dir = Files.createTempDirectory("roomkeeper-webhook-bench");
		LocalWebhookReceiver local = (external != null) ? null : LocalWebhookReceiver.start(0, SECRET);
		String receiver = (external != null) ? external : local.base();
		try {
			List<String> properties = new ArrayList<>(List.of("rooms.store.type=" + store, "rooms.store.dir=" + dir,
					"rooms.max-rooms=100000", "rooms.webhooks.endpoints[0].url=" + receiver + "/hooks",
					"rooms.webhooks.endpoints[0].secret=" + SECRET, "rooms.webhooks.endpoints[0].events=room.state",
					"rooms.webhooks.initial-backoff=1s", "rooms.webhooks.max-backoff=1s", "logging.level.root=WARN"));
			if (threads != null) {
				properties.add("rooms.webhooks.threads=" + threads);
			}
			try (RunningApp app = RunningApp.start(properties.toArray(String[]::new))) {
				System.out.printf("store=%s rooms=%d perRoom=%d senderThreads=%s cores=%d receiver=%s%n", store, rooms,
						perRoom, (threads != null) ? threads : "default", Runtime.getRuntime().availableProcessors(),
						(external != null) ? "own process" : "in this JVM (its CPU counts as the server's)");
				for (int round = 1; round <= rounds; round++) {
					System.out.printf("round %d of %d%s%n", round, rounds,
							(round == 1 && rounds > 1) ? " (warm-up: the JIT compiles the delivery path)" : "");
					control(receiver, "/status/503");
					raiseBacklog(app.bean(RoomService.class), rooms, perRoom);
					measureDelivery(receiver, rooms * perRoom);
				}
			}
		}
		finally {
			if (local != null) {
				local.close();
			}
		}
	}

	/** Lets the receiver answer 204 and times the delivery of {@code total} webhooks. */
	private static void measureDelivery(String receiver, int total) throws Exception {
		Map<String, Long> before = stats(receiver);
		String loadBefore = loadAverage();
		ProcessStats self = ProcessStats.self();
		double cpuBefore = self.cpuSeconds();
		Map<String, Long> threadsBefore = threadTicks();
		long started = System.nanoTime();
		long startedMillis = System.currentTimeMillis();
		control(receiver, "/status/204");
		Map<String, Long> after = before;
		while (after.get("unique") - before.get("unique") < total
				&& System.nanoTime() - started < TimeUnit.MINUTES.toNanos(10)) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
			after = stats(receiver);
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		double cpu = self.cpuSeconds() - cpuBefore;
		Map<String, Long> threadsAfter = threadTicks();
		long unique = after.get("unique") - before.get("unique");
		long delivered = after.get("delivered") - before.get("delivered");
		double busySeconds = (after.get("lastMillis") - Math.max(startedMillis, after.get("firstMillis"))) / 1e3;
		System.out.printf(
				"  delivered %d of %d webhooks (%d answers 2xx, %d invalid signatures in all) in %.2f s after the"
						+ " receiver came back, %.2f s from the first delivery to the last%n",
				unique, total, delivered, after.get("invalid"), seconds, busySeconds);
		System.out.printf("  deliveries/s: %.0f (first to last delivery), %.0f (from the switch)%n",
				unique / busySeconds, unique / seconds);
		System.out.printf("  server CPU %.2f s: %.0f deliveries per CPU-second%n", cpu, unique / cpu);
		System.out.println("  server CPU by thread: " + byThread(threadsBefore, threadsAfter));
		System.out.printf("  load average before: %s, after: %s%n", loadBefore, loadAverage());
	}

	/**
	 * Raises {@code perRoom} {@code room.state} webhooks in each of {@code rooms} rooms.
	 */
	private static void raiseBacklog(RoomService service, int rooms, int perRoom) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> work = new ArrayList<>();
			for (int r = 0; r < rooms; r++) {
				work.add(pool.submit(() -> {
					String code = service.create(CreateRoomRequest.from(JsonNodeFactory.instance.objectNode()))
						.room()
						.code();
					ObjectNode join = JsonNodeFactory.instance.objectNode().put("name", "Ann");
					String token = service.join(code, JoinRoomRequest.from(join), "127.0.0.1").token();
					for (int i = 0; i < perRoom; i++) {
						ObjectNode body = JsonNodeFactory.instance.objectNode();
						body.putObject("patch").put("n", i);
						service.patchState(code, token, StatePatchRequest.from(body), Durability.DEFERRED);
					}
					return null;
				}));
			}
			for (Future<?> each : work) {
				each.get();
			}
		}
		finally {
			pool.shutdown();
		}
	}

	private static void control(String receiver, String path) throws Exception {
		HttpResponse<String> response = CONTROL.send(
				HttpRequest.newBuilder(URI.create(receiver + path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("receiver answered " + response.statusCode() + " to " + path);
		}
	}

	/** The receiver's counters ({@link LocalWebhookReceiver#stats()}). */
	private static Map<String, Long> stats(String receiver) throws Exception {
		String line = CONTROL
			.send(HttpRequest.newBuilder(URI.create(receiver + "/stats")).build(), HttpResponse.BodyHandlers.ofString())
			.body()
			.trim();
		Map<String, Long> stats = new HashMap<>();
		for (String pair : line.split(" ")) {
			int eq = pair.indexOf('=');
			stats.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
		}
		return stats;
	}

	/**
	 * CPU ticks (user + system, 1/100 s) of every thread of this process, keyed by
	 * {@code tid name} ({@code /proc/self/task}).
	 */
	private static Map<String, Long> threadTicks() {
		Map<String, Long> ticks = new HashMap<>();
		try (var tasks = Files.list(Path.of("/proc/self/task"))) {
			for (Path task : tasks.toList()) {
				try {
					String stat = Files.readString(task.resolve("stat"));
					String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
					String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
					ticks.put(task.getFileName() + " " + name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
				}
				catch (java.io.IOException | RuntimeException ex) {
					// the thread ended
				}
			}
		}
		catch (java.io.IOException ex) {
			// not Linux: no breakdown
		}
		return ticks;
	}

	/** CPU seconds per thread name (numbers folded: one line per pool), largest first. */
	private static String byThread(Map<String, Long> before, Map<String, Long> after) {
		Map<String, Long> byName = new HashMap<>();
		after.forEach((key, ticks) -> {
			long delta = ticks - before.getOrDefault(key, 0L);
			String name = key.substring(key.indexOf(' ') + 1).replaceAll("[0-9]+", "N");
			byName.merge(name, delta, Long::sum);
		});
		StringBuilder line = new StringBuilder();
		byName.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() > 0)
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.forEach((entry) -> line.append(String.format("%s %.2f s, ", entry.getKey(), entry.getValue() / 100.0)));
		return (line.length() > 2) ? line.substring(0, line.length() - 2) : "(none)";
	}

	private static String loadAverage() {
		return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
	}

}
