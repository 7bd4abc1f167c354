package dev.roomkeeper.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.room.ChangeResult;
import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.store.file.JsonFileRoomRepository;
import dev.roomkeeper.support.TestRooms;

/**
 * Durable writes per second of the file store (group commit), for 1 to 64 concurrent
 * writers, each on its own room, and for 32 writers on one room. Not a test: run it with
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.roomkeeper.bench.FileStoreBenchmark
 * </pre>
 *
 * Optional system property {@code bench.dir} chooses the disk (default: a temp
 * directory).
 */
public final class FileStoreBenchmark {

	private static final Duration RUN = Duration.ofSeconds(5);

	private FileStoreBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path base = Files.createTempDirectory(
				Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"))), "roomkeeper-bench");
		System.out.printf("%-28s %12s %10s %10s%n", "workload", "writes/s", "p50 ms", "p99 ms");
		for (int writers : new int[] { 1, 8, 32, 64 }) {
			run(base.resolve("distinct-" + writers), writers, false);
		}
		run(base.resolve("same-32"), 32, true);
	}

	private static void run(Path dir, int writers, boolean sameRoom) throws Exception {
		JsonMapper jsonMapper = JsonMapper.builder().build();
		JsonFileRoomRepository repository = new JsonFileRoomRepository(dir, Duration.ofSeconds(1), jsonMapper,
				new RoomEventBus(jsonMapper), Clock.systemUTC());
		try {
			for (int i = 0; i < writers; i++) {
				repository.create(TestRooms.room(code(sameRoom ? 0 : i), Clock.systemUTC().instant()));
			}
			ExecutorService executor = Executors.newFixedThreadPool(writers);
			long deadline = System.nanoTime() + RUN.toNanos();
			List<Future<long[]>> results = new ArrayList<>();
			for (int i = 0; i < writers; i++) {
				String code = code(sameRoom ? 0 : i);
				results.add(executor.submit(() -> {
					long[] latencies = new long[1 << 20];
					int count = 0;
					while (System.nanoTime() < deadline && count < latencies.length) {
						long start = System.nanoTime();
						repository.update(code, (room) -> {
							Room next = room.edit()
								.state(TestRooms.counter(room.version() + 1))
								.version(room.version() + 1)
								.build();
							return ChangeResult.save(next, null);
						}, Durability.DURABLE);
						latencies[count++] = System.nanoTime() - start;
					}
					return Arrays.copyOf(latencies, count);
				}));
			}
			List<long[]> all = new ArrayList<>();
			for (Future<long[]> result : results) {
				all.add(result.get());
			}
			executor.shutdown();
			long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
			System.out.printf("%-28s %12.0f %10.2f %10.2f%n",
					writers + " writers, " + (sameRoom ? "one room" : "own rooms"),
					merged.length / (double) RUN.toSeconds(), merged[merged.length / 2] / 1e6,
					merged[(int) (merged.length * 0.99)] / 1e6);
		}
		finally {
			repository.close();
		}
	}

	private static String code(int i) {
		return String.format("BENCH%03d", i);
	}

}
