package dev.roomkeeper.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.roomkeeper.ops.RoomCensus;
import dev.roomkeeper.room.Member;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.room.event.MemberRole;
import dev.roomkeeper.support.RunningApp;
import dev.roomkeeper.support.TestRedis;

/**
 * Benchmark (not a test): {@code GET /api/admin/stats} and a {@code /actuator/prometheus}
 * scrape with 100,000 rooms, on each store (issue 17, "Operations at scale"; targets: a
 * scrape ≤ 50 ms, stats ≤ 200 ms). Run it with
 *
 * <pre>
 * REDIS_URL=redis://127.0.0.1:6379 mvn -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.roomkeeper.bench.OpsScaleBenchmark
 * </pre>
 *
 * (docs/benchmarks.md, "Operations at scale", shows results).
 * <p>
 * For each store it starts the whole application in this JVM (admin token set, the
 * sweeper on), fills the store with {@code rooms} rooms through the repository (32
 * threads; 0 to 4 members each, last activity spread over the last 17 hours, so none is
 * past the 24 h idle timeout), then, over HTTP: {@code requests} stats requests (first
 * page of 50), as many for a deep page ({@code offset=50000&limit=500}) and as many
 * scrapes, each scrape more than a second after the previous one so the gauges'
 * one-second cache never answers. Wall times are per request; CPU is the process's
 * (server, this in-process client, and whatever else ran meanwhile: GC, JIT, the store's
 * background work) while the requests ran, divided by their number (the process's ticks
 * are 10 ms, so only this mean means something). It also times the census directly on
 * this thread (wall and thread CPU), and for comparison the walk of every room a page at
 * a time that the census did before (what a scrape and the stats cost then). The Redis
 * store uses its own key prefix and deletes its keys after.
 * <p>
 * System properties: {@code rooms} (100000), {@code requests} (20), {@code stores}
 * ({@code memory,file,redis}).
 */
public final class OpsScaleBenchmark {

	private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

	private static final String ADMIN_TOKEN = "ops-scale-benchmark-admin-token-1";

	private static final int FILL_THREADS = 32;

	private final int roomCount = Integer.getInteger("rooms", 100_000);

	private final int requests = Integer.getInteger("requests", 20);

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	private OpsScaleBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
			root.setLevel(Level.WARN);
		}
		OpsScaleBenchmark benchmark = new OpsScaleBenchmark();
		for (String store : System.getProperty("stores", "memory,file,redis").split(",")) {
			benchmark.run(store.trim());
		}
		System.exit(0);
	}

	private void run(String store) throws Exception {
		System.out.printf("%n== %s store: %,d rooms, %d requests each, Java %s, %d cores, load average %s ==%n", store,
				this.roomCount, this.requests, System.getProperty("java.version"),
				Runtime.getRuntime().availableProcessors(), loadAverage());
		List<String> properties = new ArrayList<>(List.of("rooms.store.type=" + store,
				"rooms.admin-token=" + ADMIN_TOKEN, "rooms.max-rooms=" + (this.roomCount * 2),
				"rooms.presence.stale-after=7d", "logging.level.root=warn", "logging.level.dev.roomkeeper=warn"));
		Path dir = null;
		String prefix = null;
		if (store.equals("file")) {
			dir = Files.createTempDirectory("roomkeeper-ops-scale");
			properties.add("rooms.store.dir=" + dir);
		}
		if (store.equals("redis")) {
			prefix = "opscale-bench-" + ProcessHandle.current().pid() + ":";
			properties.add("spring.data.redis.url=" + redisUrl());
			properties.add("rooms.store.redis.key-prefix=" + prefix);
		}
		try (RunningApp app = RunningApp.start(properties.toArray(String[]::new))) {
			long members = fill(app.bean(RoomRepository.class));
			app.bean(RoomRepository.class).flush();
			measure(app, members);
		}
		finally {
			if (dir != null) {
				deleteRecursively(dir);
			}
			if (prefix != null) {
				LettuceConnectionFactory factory = TestRedis.connectionFactory(redisUrl());
				TestRedis.deleteKeys(factory, prefix);
				factory.destroy();
			}
		}
	}

	private static String redisUrl() {
		String url = System.getenv("REDIS_URL");
		return (url != null && !url.isBlank()) ? url : "redis://127.0.0.1:6379";
	}

	/** Creates the rooms on 32 threads; returns their members. */
	private long fill(RoomRepository repository) throws Exception {
		Instant now = Instant.now();
		long started = System.nanoTime();
		ExecutorService executor = Executors.newFixedThreadPool(FILL_THREADS);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < FILL_THREADS; t++) {
				int first = t;
				futures.add(executor.submit(() -> {
					for (int i = first; i < this.roomCount; i += FILL_THREADS) {
						if (!repository.create(room(i, now))) {
							throw new IllegalStateException("Room " + i + " exists");
						}
					}
				}));
			}
			for (Future<?> future : futures) {
				future.get(30, TimeUnit.MINUTES);
			}
		}
		finally {
			executor.shutdownNow();
		}
		long members = 0;
		for (int i = 0; i < this.roomCount; i++) {
			members += membersOf(i);
		}
		System.out.printf("filled %,d rooms (%,d members) in %,d ms%n", this.roomCount, members,
				(System.nanoTime() - started) / 1_000_000);
		return members;
	}

	private void measure(RunningApp app, long members) throws Exception {
		String base = "http://localhost:" + app.port();
		JsonNode stats = this.jsonMapper.readTree(get(base + "/api/admin/stats", true));
		if (stats.get("rooms").asLong() != this.roomCount || stats.get("members").asLong() != members) {
			throw new IllegalStateException("Stats count " + stats.get("rooms") + " rooms and " + stats.get("members")
					+ " members, expected " + this.roomCount + " and " + members);
		}
		String scrape = get(base + "/actuator/prometheus", false);
		if (!scrape.contains("roomkeeper_rooms_open " + this.roomCount)) {
			throw new IllegalStateException("The scrape does not count " + this.roomCount + " open rooms");
		}
		// Warm-up: the JIT, the connection, the page reads.
		for (int i = 0; i < 10; i++) {
			get(base + "/api/admin/stats", true);
			get(base + "/api/admin/stats?offset=50000&limit=500", true);
			get(base + "/actuator/prometheus", false);
		}
		System.out.printf("load average before measuring: %s%n", loadAverage());
		time("GET /api/admin/stats (first 50)", () -> get(base + "/api/admin/stats", true), Duration.ZERO);
		time("GET /api/admin/stats?offset=50000&limit=500",
				() -> get(base + "/api/admin/stats?offset=50000&limit=500", true), Duration.ZERO);
		time("GET /actuator/prometheus", () -> get(base + "/actuator/prometheus", false), Duration.ofMillis(1100));

		PrometheusMeterRegistry registry = app.bean(PrometheusMeterRegistry.class);
		// Each past the gauges' one-second cache, as scrapes 15 s apart are.
		timeOnThisThread("a scrape's text, made on this thread",
				() -> LockSupport.parkNanos(Duration.ofMillis(1100).toNanos()), () -> (long) registry.scrape().length(),
				this.requests);
		RoomCensus census = app.bean(RoomCensus.class);
		timeOnThisThread("census: counts only (what the gauges read)", () -> census.take(0, 0));
		timeOnThisThread("census: counts and the first 50", () -> census.take(0, 50));
		RoomRepository repository = app.bean(RoomRepository.class);
		timeOnThisThread("before: a walk of every room, 500 a page", () -> {
		}, () -> walk(repository), 3);
		System.out.printf("load average after measuring: %s%n", loadAverage());
	}

	/** The walk the census did before: every room, a page at a time. */
	private static long walk(RoomRepository repository) {
		long members = 0;
		String after = null;
		while (true) {
			List<Room> page = repository.findPage(after, 500);
			if (page.isEmpty()) {
				return members;
			}
			for (Room room : page) {
				members += room.members().size();
			}
			after = page.get(page.size() - 1).code();
		}
	}

	private void time(String label, Supplier<String> request, Duration pause) {
		long[] micros = new long[this.requests];
		double cpuSeconds = 0;
		for (int i = 0; i < this.requests; i++) {
			LockSupport.parkNanos(pause.toNanos());
			double cpuStarted = ProcessStats.self().cpuSeconds();
			long started = System.nanoTime();
			request.get();
			micros[i] = (System.nanoTime() - started) / 1000;
			cpuSeconds += ProcessStats.self().cpuSeconds() - cpuStarted;
		}
		double cpuMillis = cpuSeconds * 1000 / this.requests;
		Arrays.sort(micros);
		System.out.printf("%-46s median %8.2f ms, min %8.2f ms, max %8.2f ms; process CPU %6.1f ms per request%n",
				label, micros[micros.length / 2] / 1000.0, micros[0] / 1000.0, micros[micros.length - 1] / 1000.0,
				cpuMillis);
	}

	private void timeOnThisThread(String label, Runnable work) {
		timeOnThisThread(label, () -> {
		}, () -> {
			work.run();
			return 0L;
		}, this.requests);
	}

	/**
	 * Times work on this thread, wall and thread CPU, each time after an untimed
	 * {@code before}.
	 */
	private void timeOnThisThread(String label, Runnable before, Supplier<Long> work, int times) {
		long[] micros = new long[times];
		long[] cpuMicros = new long[times];
		for (int i = 0; i < times; i++) {
			before.run();
			long cpuStarted = CPU.getCurrentThreadCpuTime();
			long started = System.nanoTime();
			work.get();
			micros[i] = (System.nanoTime() - started) / 1000;
			cpuMicros[i] = (CPU.getCurrentThreadCpuTime() - cpuStarted) / 1000;
		}
		Arrays.sort(micros);
		Arrays.sort(cpuMicros);
		System.out.printf("%-46s median %8.2f ms, max %8.2f ms; thread CPU median %8.2f ms%n", label,
				micros[micros.length / 2] / 1000.0, micros[micros.length - 1] / 1000.0,
				cpuMicros[cpuMicros.length / 2] / 1000.0);
	}

	private String get(String url, boolean admin) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET();
		if (admin) {
			request.header("Authorization", "Bearer " + ADMIN_TOKEN);
		}
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
			}
			return response.body();
		}
		catch (IOException ex) {
			throw new IllegalStateException(url + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Room {@code i}: {@code i % 5} members (disconnected, so presence changes nothing),
	 * last active {@code i × 600 ms} before {@code now}.
	 */
	private static Room room(int i, Instant now) {
		Instant lastActivity = now.minusMillis(600L * i);
		List<Member> members = new ArrayList<>();
		for (int m = 0; m < membersOf(i); m++) {
			members.add(new Member("m" + m, "Member " + m, MemberRole.MEMBER, "token-hash-" + i + "-" + m, false,
					lastActivity, lastActivity, JsonNodeFactory.instance.objectNode()));
		}
		return new Room(String.format("R%06d", i), "Room " + i, null, "owner-hash-" + i, false, false, 16, members,
				JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode().put("round", i % 10), 1, 1,
				lastActivity.minusSeconds(60), lastActivity, null);
	}

	private static int membersOf(int i) {
		return i % 5;
	}

	private static String loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return fields[0] + " " + fields[1] + " " + fields[2];
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	private static void deleteRecursively(Path dir) throws IOException {
		try (Stream<Path> paths = Files.walk(dir)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

}
