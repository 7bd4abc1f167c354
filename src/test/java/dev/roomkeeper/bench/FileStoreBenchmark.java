package dev.roomkeeper.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.room.ChangeResult;
import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomHistory;
import dev.roomkeeper.room.event.MessageEvent;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.store.file.JournalRecords;
import dev.roomkeeper.store.file.JsonFileRoomRepository;
import dev.roomkeeper.support.TestRooms;

/**
 * Durable writes per second of the file store (journal with group commit), for 1 to 64
 * concurrent writers, each on its own room, and for 32 writers on one room, with the CPU
 * time of the whole process per write (the writers' own work included) and of the store's
 * writer thread alone (journal writes and forces, kernel time included); then (with
 * {@code -Dbench.rooms=100000}) the time to open a store of that many rooms from their
 * files, and from the files plus a journal of one record per room (as after
 * {@code kill -9}). Not a test: run it with
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.roomkeeper.bench.FileStoreBenchmark
 * </pre>
 *
 * Optional system properties: {@code bench.dir} chooses the disk (default: a temp
 * directory), {@code bench.writes=false} skips the write rows, {@code bench.rooms} the
 * rooms of the start-up measurement (default 0: skipped), {@code bench.seconds} the
 * seconds per row (default 5), {@code bench.history} the {@code rooms.history.size}
 * values of the history rows (e.g. {@code 100,0}; default none: skipped).
 * <p>
 * The history rows measure what room history costs the journal: every write is a change
 * that raises one chat {@code message} event (about 230 bytes of JSON), stored durably,
 * in rooms that start with 100 such events (a full default history); as each writer waits
 * for its write, every write is one journal record. Besides writes/s, latency and CPU
 * they give the bytes of a journal record (the room's JSON as the store writes it, plus
 * the record header) and the bytes the process wrote to storage per write
 * ({@code write_bytes} of {@code /proc/self/io}: the journal, and the room files of the
 * checkpoints its growth triggers).
 */
public final class FileStoreBenchmark {

	private static final Duration RUN = Duration.ofSeconds(Long.getLong("bench.seconds", 5));

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private FileStoreBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path base = Files.createTempDirectory(
				Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"))), "roomkeeper-bench");
		// warm-up (JIT), not printed
		run(base.resolve("warm-up"), 16, false, false);
		if (Boolean.parseBoolean(System.getProperty("bench.writes", "true"))) {
			System.out.printf("%-28s %12s %10s %10s %14s %16s%n", "workload", "writes/s", "p50 ms", "p99 ms",
					"CPU us/write", "writer us/write");
			for (int writers : new int[] { 1, 8, 32, 64 }) {
				run(base.resolve("distinct-" + writers), writers, false, true);
			}
			run(base.resolve("same-32"), 32, true, true);
		}
		String history = System.getProperty("bench.history", "");
		if (!history.isBlank()) {
			history(base.resolve("history-warm-up"), 8, RoomHistory.DEFAULT_SIZE, false);
			System.out.printf("%-28s %8s %10s %8s %8s %13s %13s %15s%n", "workload (chat event/write)", "history",
					"writes/s", "p50 ms", "p99 ms", "CPU us/write", "record bytes", "storage B/write");
			for (String size : history.split(",")) {
				for (int writers : new int[] { 1, 8, 32 }) {
					history(base.resolve("history-" + size.strip() + "-" + writers), writers,
							Integer.parseInt(size.strip()), true);
				}
			}
		}
		int rooms = Integer.getInteger("bench.rooms", 0);
		if (rooms > 0) {
			startup(base.resolve("startup"), rooms);
		}
	}

	private static JsonFileRoomRepository open(Path dir, Duration checkpointInterval) {
		return new JsonFileRoomRepository(dir, Duration.ofSeconds(1), Duration.ofSeconds(1), checkpointInterval, JSON,
				new RoomEventBus(JSON), Clock.systemUTC(), new SimpleMeterRegistry());
	}

	private static void run(Path dir, int writers, boolean sameRoom, boolean print) throws Exception {
		JsonFileRoomRepository repository = open(dir, JsonFileRoomRepository.DEFAULT_CHECKPOINT_INTERVAL);
		try {
			for (int i = 0; i < writers; i++) {
				repository.create(TestRooms.room(code(sameRoom ? 0 : i), Clock.systemUTC().instant()));
			}
			long cpuBefore = processCpuNanos();
			long writerCpuBefore = writerCpuNanos();
			long[] merged = timedWrites(writers,
					(i) -> increment(repository, code(sameRoom ? 0 : i), Durability.DURABLE));
			long cpu = processCpuNanos() - cpuBefore;
			long writerCpu = writerCpuNanos() - writerCpuBefore;
			if (!print) {
				return;
			}
			System.out.printf("%-28s %12.0f %10.2f %10.2f %14.1f %16.1f%n",
					writers + " writers, " + (sameRoom ? "one room" : "own rooms"),
					merged.length / (double) RUN.toSeconds(), merged[merged.length / 2] / 1e6,
					merged[(int) (merged.length * 0.99)] / 1e6, cpu / 1e3 / merged.length,
					writerCpu / 1e3 / merged.length);
		}
		finally {
			repository.close();
		}
	}

	/**
	 * One history row: {@code writers} writers on their own rooms, each write a chat
	 * message event, in a store whose rooms keep {@code historySize} events.
	 */
	private static void history(Path dir, int writers, int historySize, boolean print) throws Exception {
		JsonFileRoomRepository repository = new JsonFileRoomRepository(dir, Duration.ofSeconds(1),
				Duration.ofSeconds(1), Duration.ofHours(1), JSON, new RoomEventBus(JSON), Clock.systemUTC(),
				new SimpleMeterRegistry(), historySize);
		try {
			for (int i = 0; i < writers; i++) {
				repository.create(TestRooms.room(code(i), Clock.systemUTC().instant()));
				for (int event = 0; event < RoomHistory.DEFAULT_SIZE; event++) {
					chat(repository, code(i), Durability.DEFERRED);
				}
			}
			repository.flush();
			ProcessStats self = ProcessStats.self();
			long storageBefore = self.bytesToStorage();
			long cpuBefore = processCpuNanos();
			long[] merged = timedWrites(writers, (i) -> chat(repository, code(i), Durability.DURABLE));
			long cpu = processCpuNanos() - cpuBefore;
			long storage = self.bytesToStorage() - storageBefore;
			Room room = repository.find(code(0)).orElseThrow();
			double recordBytes = JournalRecords.meanRoomRecordBytes(dir);
			if (print) {
				System.out.printf("%-28s %8d %10.0f %8.2f %8.2f %13.1f %13.0f %15.0f%n",
						writers + " writers, own rooms", room.history().events().size(),
						merged.length / (double) RUN.toSeconds(), merged[merged.length / 2] / 1e6,
						merged[(int) (merged.length * 0.99)] / 1e6, cpu / 1e3 / merged.length, recordBytes,
						(double) storage / merged.length);
			}
		}
		finally {
			repository.close();
		}
	}

	/** A change that raises one chat message (about 60 characters of text). */
	private static void chat(JsonFileRoomRepository repository, String code, Durability durability) {
		repository.update(code, (room) -> {
			Instant now = Clock.systemUTC().instant();
			Room next = room.touched(now).nextSeq();
			MessageEvent message = new MessageEvent(code, now, next.seq(), "m1", JSON.valueToTree(Map.of("kind", "chat",
					"name", "Member 1", "text", "A chat line of about sixty characters, number " + next.seq())));
			return ChangeResult.save(next, null, message);
		}, durability);
	}

	/**
	 * Runs {@code writers} threads for {@link #RUN}, writer {@code i} calling
	 * {@code write.accept(i)} again and again.
	 * @return the latency of every write, sorted
	 */
	private static long[] timedWrites(int writers, java.util.function.IntConsumer write) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(writers);
		try {
			long deadline = System.nanoTime() + RUN.toNanos();
			List<Future<long[]>> results = new ArrayList<>();
			for (int i = 0; i < writers; i++) {
				int writer = i;
				results.add(executor.submit(() -> {
					long[] latencies = new long[1 << 20];
					int count = 0;
					while (System.nanoTime() < deadline && count < latencies.length) {
						long start = System.nanoTime();
						write.accept(writer);
						latencies[count++] = System.nanoTime() - start;
					}
					return Arrays.copyOf(latencies, count);
				}));
			}
			List<long[]> all = new ArrayList<>();
			for (Future<long[]> result : results) {
				all.add(result.get());
			}
			return all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
		}
		finally {
			executor.shutdown();
		}
	}

	private static void increment(JsonFileRoomRepository repository, String code, Durability durability) {
		repository.update(code, (room) -> {
			Room next = room.edit().state(TestRooms.counter(room.version() + 1)).version(room.version() + 1).build();
			return ChangeResult.save(next, null);
		}, durability);
	}

	/**
	 * Opens a store of {@code rooms} rooms from their files (after a clean stop), then
	 * from the files plus a journal with one record per room (a copy taken while the
	 * store ran, as {@code kill -9} leaves it).
	 */
	private static void startup(Path dir, int rooms) throws Exception {
		JsonFileRoomRepository repository = open(dir, Duration.ofHours(1));
		ExecutorService executor = Executors.newFixedThreadPool(64);
		forEachRoom(executor, rooms, (i) -> repository
			.create(TestRooms.room(code(i), Clock.systemUTC().instant()).edit().name("Room " + i).build()));
		repository.flush();
		repository.close();

		long cpu = processCpuNanos();
		long started = System.nanoTime();
		JsonFileRoomRepository reopened = open(dir, Duration.ofHours(1));
		long filesMillis = (System.nanoTime() - started) / 1_000_000;
		long filesCpuMillis = (processCpuNanos() - cpu) / 1_000_000;
		forEachRoom(executor, rooms, (i) -> increment(reopened, code(i), Durability.DURABLE));
		Path crashed = dir.resolveSibling("startup-crashed");
		copy(dir, crashed);
		reopened.close();
		executor.shutdown();

		cpu = processCpuNanos();
		started = System.nanoTime();
		JsonFileRoomRepository replayed = open(crashed, Duration.ofHours(1));
		long journalMillis = (System.nanoTime() - started) / 1_000_000;
		long journalCpuMillis = (processCpuNanos() - cpu) / 1_000_000;
		int count = replayed.count();
		long version = replayed.find(code(rooms - 1)).orElseThrow().version();
		replayed.close();
		System.out.printf(
				"start-up, %d rooms from files: %d ms (CPU %d ms); from files + a journal of %d records: %d ms"
						+ " (CPU %d ms; %d rooms, last room at version %d)%n",
				rooms, filesMillis, filesCpuMillis, rooms, journalMillis, journalCpuMillis, count, version);
	}

	private static void forEachRoom(ExecutorService executor, int rooms, java.util.function.IntConsumer action)
			throws Exception {
		List<Future<?>> futures = new ArrayList<>();
		int perTask = 1000;
		for (int from = 0; from < rooms; from += perTask) {
			int start = from;
			futures.add(executor.submit(() -> {
				for (int i = start; i < Math.min(rooms, start + perTask); i++) {
					action.accept(i);
				}
			}));
		}
		for (Future<?> future : futures) {
			future.get(10, TimeUnit.MINUTES);
		}
	}

	/** Copies a store directory as it is on disk now (without its lock file). */
	private static void copy(Path from, Path to) throws Exception {
		try (Stream<Path> paths = Files.walk(from)) {
			for (Path path : paths.toList()) {
				Path target = to.resolve(from.relativize(path).toString());
				if (Files.isDirectory(path)) {
					Files.createDirectories(target);
				}
				else if (!path.getFileName().toString().equals(".lock")) {
					Files.copy(path, target);
				}
			}
		}
	}

	/**
	 * CPU time of the store's writer thread (the journal's writes and forces, kernel time
	 * included), or 0 if it is not running.
	 */
	private static long writerCpuNanos() {
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			if (thread.getName().equals("roomkeeper-file-writer")) {
				return Math.max(0, ManagementFactory.getThreadMXBean().getThreadCpuTime(thread.getId()));
			}
		}
		return 0;
	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	/**
	 * The room code of writer {@code i} ({@code BENCH000}, {@code BENCH001}, ...). Not
	 * {@code String.format}: it is called for every timed write, and formatting cost ~5%
	 * of the process CPU that the benchmark reports per write.
	 */
	private static String code(int i) {
		String digits = Integer.toString(i);
		return (digits.length() >= 3) ? "BENCH" + digits : "BENCH" + "00".substring(digits.length() - 1) + digits;
	}

}
