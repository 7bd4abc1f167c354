package dev.roomkeeper.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.room.HistoryEvent;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomHistory;
import dev.roomkeeper.room.Secrets;
import dev.roomkeeper.room.event.MessageEvent;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.store.file.JsonFileRoomRepository;

/**
 * What room history costs: the heap per room with a full history (the default 100 chat
 * messages) and the file store's start-up time with that many rooms. Writes the room
 * files directly (as the store writes them), then opens the store on them and measures
 * the load and the heap it holds afterwards. A plain {@code main} under
 * {@code src/test/java}, not a test:
 *
 * <pre>
 * mvn -q test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *   -Dexec.args="-Xmx6g -classpath %classpath dev.roomkeeper.bench.HistoryFootprintBenchmark 100000"
 * </pre>
 */
public final class HistoryFootprintBenchmark {

	private HistoryFootprintBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int rooms = (args.length > 0) ? Integer.parseInt(args[0]) : 100_000;
		int events = (args.length > 1) ? Integer.parseInt(args[1]) : RoomHistory.DEFAULT_SIZE;
		JsonMapper jsonMapper = JsonMapper.builder().build();
		Path dir = Files.createTempDirectory("history-footprint");
		Instant now = Instant.now();
		long bytes = 0;
		long started = System.nanoTime();
		for (int i = 0; i < rooms; i++) {
			Room room = room(jsonMapper, code(i), events, now);
			byte[] json = jsonMapper.writeValueAsBytes(room);
			bytes += json.length;
			Files.write(dir.resolve(room.code() + ".json"), json);
		}
		Files.write(dir.resolve(".clean-stop"), new byte[0]);
		System.out.printf("wrote %,d room files with %d events each: %,d MB (%,d bytes per room) in %,d ms%n", rooms,
				events, bytes / 1_000_000, bytes / rooms, (System.nanoTime() - started) / 1_000_000);

		long before = usedHeapAfterGc();
		started = System.nanoTime();
		long cpuBefore = cpuNanos();
		JsonFileRoomRepository repository = new JsonFileRoomRepository(dir, Duration.ofSeconds(1),
				Duration.ofSeconds(30), jsonMapper, new RoomEventBus(jsonMapper), Clock.systemUTC(),
				new SimpleMeterRegistry());
		long loadMillis = (System.nanoTime() - started) / 1_000_000;
		long cpuMillis = (cpuNanos() - cpuBefore) / 1_000_000;
		long after = usedHeapAfterGc();
		System.out.printf("loaded %,d rooms in %,d ms (CPU %,d ms); heap held: %,d MB, %,d bytes per room%n",
				repository.count(), loadMillis, cpuMillis, (after - before) / 1_000_000, (after - before) / rooms);
		repository.close();
		try (var files = Files.list(dir)) {
			for (Path file : files.toList()) {
				Files.delete(file);
			}
		}
		Files.delete(dir);
	}

	private static Room room(JsonMapper jsonMapper, String code, int events, Instant now) {
		List<HistoryEvent> history = new ArrayList<>(events);
		for (int seq = 1; seq <= events; seq++) {
			MessageEvent message = new MessageEvent(code, now, seq, "m" + (seq % 4),
					jsonMapper.valueToTree(Map.of("kind", "chat", "name", "Member " + (seq % 4), "text",
							"A chat line of about sixty characters, number " + seq)));
			history.add(new HistoryEvent(seq, jsonMapper.writeValueAsString(message)));
		}
		return new Room(code, "Room " + code, null, Secrets.hashToken("owner-" + code), false, false, 16, List.of(),
				jsonMapper.createObjectNode(), jsonMapper.createObjectNode().put("round", 1), 0, events, now, now, null,
				null, null, new RoomHistory(null, history));
	}

	private static String code(int i) {
		return String.format("R%07d", i);
	}

	private static long usedHeapAfterGc() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		Runtime runtime = Runtime.getRuntime();
		return runtime.totalMemory() - runtime.freeMemory();
	}

	private static long cpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

}
