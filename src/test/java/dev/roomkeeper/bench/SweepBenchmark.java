package dev.roomkeeper.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import dev.roomkeeper.lifecycle.RoomSweeper;
import dev.roomkeeper.lifecycle.SweepResult;
import dev.roomkeeper.room.ChangeResult;
import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.FailedLookupLimiter;
import dev.roomkeeper.room.Member;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomProperties;
import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.room.RoomService;
import dev.roomkeeper.room.event.MemberRole;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.store.file.JsonFileRoomRepository;
import dev.roomkeeper.store.memory.InMemoryRoomRepository;
import dev.roomkeeper.support.MutableClock;

/**
 * Benchmark (not a test): how long a sweep takes with 100,000 rooms of which 1% are due
 * to close, on the memory and the file store, and how long durable writes to other rooms
 * take meanwhile. Not a test: run it with
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.roomkeeper.bench.SweepBenchmark
 * </pre>
 *
 * (README, "Lifecycle", shows results).
 * <p>
 * Rooms are built with staggered last activity: round {@code k} moves the clock so that
 * exactly the next 1% of the rooms is past the idle timeout, then sweeps; the first
 * rounds warm the JIT up and are not counted. While each sweep runs, another thread keeps
 * running changes on random rooms that are not due (an atomic {@code update} that leaves
 * the room as it is, as a rejected or read-only request would) and records how long each
 * took: the sweep must not hold them up. For comparison it also times a scan of every
 * room, which is what the sweep avoids.
 * <p>
 * System properties: {@code rooms} (100000), {@code duePercent} (1), {@code rounds} (7),
 * {@code warmUpRounds} (3), {@code stores} ({@code memory,file}).
 */
public final class SweepBenchmark {

	private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

	private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

	private static final Duration IDLE_TIMEOUT = Duration.ofHours(1);

	private static final Duration ROUND_STEP = Duration.ofMinutes(1);

	private final int roomCount = Integer.getInteger("rooms", 100_000);

	private final int duePercent = Integer.getInteger("duePercent", 1);

	private final int warmUpRounds = Integer.getInteger("warmUpRounds", 3);

	private final int rounds = Integer.getInteger("rounds", 7);

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	private SweepBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
			// one info line per closed room would measure the console, not the sweep
			root.setLevel(Level.WARN);
		}
		SweepBenchmark benchmark = new SweepBenchmark();
		for (String store : System.getProperty("stores", "memory,file").split(",")) {
			benchmark.run(store.trim());
		}
	}

	private int slices() {
		return this.warmUpRounds + this.rounds;
	}

	private int duePerRound() {
		return this.roomCount * this.duePercent / 100;
	}

	private void run(String store) throws IOException {
		System.out.printf(
				"%n== %s store: %,d rooms, %d%% (%,d) due per sweep, %d + %d warm-up rounds, Java %s, %d cores ==%n",
				store, this.roomCount, this.duePercent, duePerRound(), this.rounds, this.warmUpRounds,
				System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
		MutableClock clock = new MutableClock(T0);
		RoomEventBus eventBus = new RoomEventBus(this.jsonMapper);
		Path dir = null;
		RoomRepository repository;
		long started = System.nanoTime();
		if (store.equals("file")) {
			dir = Files.createTempDirectory("roomkeeper-sweep-benchmark");
			writeRoomFiles(dir);
			started = System.nanoTime();
			repository = new JsonFileRoomRepository(dir, Duration.ofSeconds(1), this.jsonMapper, eventBus, clock);
			System.out.printf("loaded %,d room files in %,d ms%n", repository.count(), millisSince(started));
		}
		else {
			repository = new InMemoryRoomRepository(eventBus);
			for (int i = 0; i < this.roomCount; i++) {
				repository.create(room(i));
			}
			System.out.printf("created %,d rooms in %,d ms%n", repository.count(), millisSince(started));
		}
		try {
			measure(repository, clock);
		}
		finally {
			if (repository instanceof JsonFileRoomRepository file) {
				file.close();
			}
			if (dir != null) {
				deleteRecursively(dir);
			}
		}
	}

	private void measure(RoomRepository repository, MutableClock clock) {
		RoomProperties properties = new RoomProperties();
		properties.setIdleTimeout(IDLE_TIMEOUT);
		properties.setWarningBefore(Duration.ofSeconds(30));
		properties.getPresence().setStaleAfter(Duration.ofDays(1));
		properties.setSweepEnabled(false);
		RoomService rooms = new RoomService(repository, properties, new FailedLookupLimiter(properties, clock),
				this.jsonMapper, clock);
		RoomSweeper sweeper = new RoomSweeper(rooms, repository, properties, clock);

		clock.set(T0.plus(IDLE_TIMEOUT).minusSeconds(31));
		sweepWithTraffic(sweeper, repository, "nothing due yet");
		Traffic alone = new Traffic(repository);
		LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
		long[] baseline = alone.stop().stream().mapToLong(Long::longValue).sorted().toArray();
		List<Long> sweepMicros = new ArrayList<>();
		List<Long> storingMicros = new ArrayList<>();
		List<Long> cpuMicros = new ArrayList<>();
		List<Long> trafficMicros = new ArrayList<>();
		for (int round = 1; round <= slices(); round++) {
			clock.set(T0.plus(ROUND_STEP.multipliedBy(round - 1)).plus(IDLE_TIMEOUT));
			boolean warmUp = round <= this.warmUpRounds;
			Measured measured = sweepWithTraffic(sweeper, repository, (warmUp ? "warm-up " : "round ") + round);
			if (measured.result().closed() != duePerRound()) {
				throw new IllegalStateException("Expected " + duePerRound() + " closed, got " + measured.result());
			}
			if (!warmUp) {
				sweepMicros.add(measured.result().took().toNanos() / 1000);
				storingMicros.add(measured.result().storing().toNanos() / 1000);
				cpuMicros.add(measured.cpuMicros());
				trafficMicros.addAll(measured.trafficMicros());
			}
		}
		clock.advance(Duration.ofSeconds(1));
		Measured idle = sweepWithTraffic(sweeper, repository, "nothing due");

		long scanStarted = System.nanoTime();
		long expired = repository.findAll().stream().filter((room) -> rooms.isExpired(room, clock.instant())).count();
		long scanMicros = (System.nanoTime() - scanStarted) / 1000;

		long[] sweeps = sweepMicros.stream().mapToLong(Long::longValue).sorted().toArray();
		long[] traffic = trafficMicros.stream().mapToLong(Long::longValue).sorted().toArray();
		System.out.printf("sweep closing %,d rooms: median %.1f ms, min %.1f ms, max %.1f ms (%.1f µs per room)%n",
				duePerRound(), sweeps[sweeps.length / 2] / 1000.0, sweeps[0] / 1000.0,
				sweeps[sweeps.length - 1] / 1000.0, (double) sweeps[sweeps.length / 2] / duePerRound());
		long[] storing = storingMicros.stream().mapToLong(Long::longValue).sorted().toArray();
		long[] cpu = cpuMicros.stream().mapToLong(Long::longValue).sorted().toArray();
		System.out.printf("  of which storing the changes (a flush per 10 rooms): median %.1f ms%n",
				storing[storing.length / 2] / 1000.0);
		System.out.printf("  CPU time of the sweeping thread: median %.1f ms (%.1f µs per room)%n",
				cpu[cpu.length / 2] / 1000.0, (double) cpu[cpu.length / 2] / duePerRound());
		System.out.printf("sweep with nothing due: %.3f ms%n", idle.result().took().toNanos() / 1_000_000.0);
		System.out.printf("durable writes to other rooms without a sweep: %,d, p50 %d µs, p99 %d µs, max %.1f ms%n",
				baseline.length, percentile(baseline, 50), percentile(baseline, 99),
				baseline[baseline.length - 1] / 1000.0);
		System.out.printf("durable writes to other rooms during sweeps:   %,d, p50 %d µs, p99 %d µs, max %.1f ms%n",
				traffic.length, percentile(traffic, 50), percentile(traffic, 99), traffic[traffic.length - 1] / 1000.0);
		System.out.printf("for comparison, one scan of all %,d rooms (what the index avoids): %.1f ms (%d expired)%n",
				repository.count(), scanMicros / 1000.0, expired);
	}

	private record Measured(SweepResult result, long cpuMicros, List<Long> trafficMicros) {
	}

	/** Sweeps while another thread writes to random rooms that are not due. */
	private Measured sweepWithTraffic(RoomSweeper sweeper, RoomRepository repository, String label) {
		Traffic traffic = new Traffic(repository);
		SweepResult result;
		long cpuStarted = CPU.getCurrentThreadCpuTime();
		long cpuMicros;
		List<Long> latencies;
		try {
			result = sweeper.sweep();
			cpuMicros = (CPU.getCurrentThreadCpuTime() - cpuStarted) / 1000;
		}
		finally {
			latencies = traffic.stop();
		}
		System.out.printf("  %-16s closed %,5d in %8.2f ms (CPU %7.2f ms), storing %7.2f ms (%,d concurrent writes)%n",
				label + ":", result.closed(), result.took().toNanos() / 1_000_000.0, cpuMicros / 1000.0,
				result.storing().toNanos() / 1_000_000.0, latencies.size());
		return new Measured(result, cpuMicros, latencies);
	}

	/**
	 * Durable writes (as a REST call makes) to random rooms that are never due, one after
	 * the other on their own thread, each timed.
	 */
	private final class Traffic {

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final List<Long> latencies = new ArrayList<>();

		private final Thread thread;

		Traffic(RoomRepository repository) {
			this.thread = new Thread(() -> {
				ThreadLocalRandom random = ThreadLocalRandom.current();
				while (this.running.get()) {
					String code = code(
							SweepBenchmark.this.roomCount - 1 - random.nextInt(SweepBenchmark.this.roomCount / 2));
					long started = System.nanoTime();
					repository.update(code,
							(room) -> ChangeResult.save(room.edit().version(room.version() + 1).build(), true),
							Durability.DURABLE);
					this.latencies.add((System.nanoTime() - started) / 1000);
				}
			}, "benchmark-traffic");
			this.thread.start();
		}

		List<Long> stop() {
			this.running.set(false);
			join(this.thread);
			return this.latencies;
		}

	}

	/**
	 * Room {@code i}: the first {@code warmUpRounds + rounds} slices of 1% each are
	 * active at {@code T0 + (slice) minutes}, the rest an hour later, so each round makes
	 * one slice due.
	 */
	private Room room(int i) {
		int slice = i / duePerRound();
		Instant lastActivity = (slice < slices()) ? T0.plus(ROUND_STEP.multipliedBy(slice)) : T0.plus(IDLE_TIMEOUT);
		ObjectNode state = JsonNodeFactory.instance.objectNode().put("round", i % 10).put("topic", "quiz");
		List<Member> members = List.of(member("a" + i, "Ann", lastActivity), member("b" + i, "Bob", lastActivity));
		return new Room(code(i), "Room " + i, null, "owner-hash-" + i, false, false, 16, members,
				JsonNodeFactory.instance.objectNode(), state, 3, 5, T0, lastActivity, null);
	}

	private static Member member(String id, String name, Instant seen) {
		return new Member(id, name, MemberRole.MEMBER, "token-hash-" + id, true, T0, seen,
				JsonNodeFactory.instance.objectNode());
	}

	private static String code(int i) {
		return String.format("R%06d", i);
	}

	private void writeRoomFiles(Path dir) throws IOException {
		long started = System.nanoTime();
		for (int i = 0; i < this.roomCount; i++) {
			Room room = room(i);
			Files.write(dir.resolve(room.code() + ".json"), this.jsonMapper.writeValueAsBytes(room));
		}
		System.out.printf("wrote %,d room files in %,d ms%n", this.roomCount, millisSince(started));
		syncFileSystems();
	}

	/**
	 * Writes the files out (they were written without forcing, to save time), so the
	 * sweep does not pay for their write-back as a server with old room files would not.
	 */
	private static void syncFileSystems() {
		long started = System.nanoTime();
		try {
			new ProcessBuilder("sync").inheritIO().start().waitFor();
			System.out.printf("synced file systems in %,d ms%n", millisSince(started));
		}
		catch (IOException ex) {
			System.out.println("could not run sync (" + ex.getMessage() + "); file store figures include write-back");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static long percentile(long[] sorted, int percent) {
		return sorted[Math.min(sorted.length - 1, sorted.length * percent / 100)];
	}

	private static long millisSince(long nanos) {
		return (System.nanoTime() - nanos) / 1_000_000;
	}

	private static void join(Thread thread) {
		try {
			thread.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
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
