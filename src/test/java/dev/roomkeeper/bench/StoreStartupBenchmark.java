package dev.roomkeeper.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.roomkeeper.room.HistoryEvent;
import dev.roomkeeper.room.Member;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomHistory;
import dev.roomkeeper.room.Secrets;
import dev.roomkeeper.room.event.MemberRole;
import dev.roomkeeper.room.event.MessageEvent;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.room.event.StateEvent;
import dev.roomkeeper.store.file.JsonFileRoomRepository;

/**
 * The file store's start-up on a cold JVM: writes N realistic room files (3 members with
 * metadata, a small state and settings, and a history of E events, half state patches and
 * half chat messages, as the store writes them), then opens the store on them in a fresh
 * JVM, from the files after a clean stop and from the files plus a journal of one newer
 * version of every room without a clean stop (as {@code kill -9} leaves a store whose
 * checkpoint had not written them yet: the journal is replayed and every {@code seq}
 * raised). Prints the wall time, the CPU time of the whole process and of the loading
 * threads ({@code main} and the common fork-join pool), the GC time and the heap held per
 * room. A plain {@code main}, not a test:
 *
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/bench.classpath) \
 *   dev.roomkeeper.bench.StoreStartupBenchmark 10000 100
 * </pre>
 *
 * Arguments: rooms (default 10,000), events per room (default 100; 0 for rooms without
 * history), launches of each kind (default 3). System properties: {@code bench.dir} (the
 * parent directory, default the temp directory; the stores are kept there as
 * {@code store-N-E} and reused), {@code bench.unique-keys} ({@code false}: the state's
 * keys are the same in every room, instead of member ids), {@code bench.jvm} (extra
 * options of the measured JVM, for example
 * {@code -XX:StartFlightRecording=filename=load.jfr}), {@code bench.kinds}
 * ({@code files,journal}).
 */
public final class StoreStartupBenchmark {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final boolean UNIQUE_KEYS = Boolean.parseBoolean(System.getProperty("bench.unique-keys", "true"));

	private StoreStartupBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("load")) {
			load(Path.of(args[1]), Integer.parseInt(args[2]));
			return;
		}
		int rooms = (args.length > 0) ? Integer.parseInt(args[0]) : 10_000;
		int events = (args.length > 1) ? Integer.parseInt(args[1]) : RoomHistory.DEFAULT_SIZE;
		int launches = (args.length > 2) ? Integer.parseInt(args[2]) : 3;
		Path base = Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir")));
		String name = "store-" + rooms + "-" + events + (UNIQUE_KEYS ? "" : "-common-keys");
		Path clean = base.resolve(name);
		Path crashed = base.resolve(name + "-crashed");
		if (!Files.isDirectory(crashed)) {
			populate(clean, crashed, rooms, events);
		}
		System.out.printf("store: %,d rooms, %d events each, %,d MB of room files; %s%n", rooms, events,
				bytes(clean) / 1_000_000, uptime());
		for (String kind : System.getProperty("bench.kinds", "files,journal").split(",")) {
			for (int i = 0; i < launches; i++) {
				Path dir = base.resolve("store-run");
				run("rm", "-rf", dir.toString());
				// hard links: the store never changes a file in place (it writes a temp
				// file
				// and renames it, and only appends to new journal segments), so the kept
				// stores stay as they are
				run("cp", "-al", (kind.equals("journal") ? crashed : clean).toString(), dir.toString());
				launch(kind, dir, rooms);
				run("rm", "-rf", dir.toString());
			}
		}
	}

	/**
	 * Measures one start-up of the store in {@code dir} (in this fresh JVM); with
	 * {@code bench.repeat} (after a clean stop only) closes it and measures again, on a
	 * warm JVM.
	 */
	private static void load(Path dir, int rooms) throws Exception {
		int repeat = Integer.getInteger("bench.repeat", 1);
		for (int i = 0; i < repeat; i++) {
			boolean last = i == repeat - 1;
			JsonFileRoomRepository repository = measure(dir, rooms, last);
			if (!last) {
				repository.close();
			}
		}
		System.exit(0);
	}

	private static JsonFileRoomRepository measure(Path dir, int rooms, boolean heap) throws Exception {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		Map<Long, Long> before = loadingThreadsCpu(threads);
		long gcBefore = gcMillis();
		long cpuBefore = processCpuNanos();
		long started = System.nanoTime();
		JsonFileRoomRepository repository = open(dir);
		long wall = System.nanoTime() - started;
		long cpu = processCpuNanos() - cpuBefore;
		long gc = gcMillis() - gcBefore;
		long loadingCpu = 0;
		for (Map.Entry<Long, Long> entry : loadingThreadsCpu(threads).entrySet()) {
			loadingCpu += entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
		}
		int count = repository.count();
		// a start-up after a crash has started its checkpoint: the heap is measured after
		// a clean stop only
		long held = (heap && !Files.exists(dir.resolve("journal"))) ? usedHeapAfterGc() : 0;
		System.out.printf(
				"  %,7d ms wall, %,7d ms CPU (loading threads %,d ms), GC %,d ms, %,d rooms, heap %,d bytes"
						+ " per room, load %s%n",
				wall / 1_000_000, cpu / 1_000_000, loadingCpu / 1_000_000, gc, count, held / Math.max(1, count),
				uptime().replaceAll(".*average: ", ""));
		if (count != rooms) {
			throw new IllegalStateException("expected " + rooms + " rooms, loaded " + count);
		}
		return repository;
	}

	private static void launch(String kind, Path dir, int rooms) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.add("-Xmx8g");
		String jvm = System.getProperty("bench.jvm", "");
		if (!jvm.isBlank()) {
			command.addAll(List.of(jvm.trim().split("\\s+")));
		}
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), StoreStartupBenchmark.class.getName(),
				"load", dir.toString(), Integer.toString(rooms)));
		System.out.print(kind.equals("journal") ? "files + journal (no clean stop):" : "files (clean stop):     ");
		System.out.flush();
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		process.waitFor();
		for (String line : output.split("\n")) {
			if (line.startsWith("  ") || line.contains("Exception") || line.contains("error")
					|| line.contains("store-loaded")) {
				System.out.println(line);
			}
		}
	}

	private static JsonFileRoomRepository open(Path dir) {
		return new JsonFileRoomRepository(dir, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofHours(1), JSON,
				new RoomEventBus(JSON), Clock.systemUTC(), new SimpleMeterRegistry());
	}

	/**
	 * Writes the room files (as the store writes them) and a clean-stop marker into
	 * {@code clean}, and the same files with a journal of one newer version of every room
	 * (in segments of 64 MiB, in the journal's format: docs/file-store.md) and no marker
	 * into {@code crashed}, as {@code kill -9} leaves a store whose checkpoint had not
	 * written those rooms yet.
	 */
	private static void populate(Path clean, Path crashed, int rooms, int events) throws Exception {
		run("rm", "-rf", clean.toString(), crashed.toString());
		Files.createDirectories(clean);
		Files.createDirectories(crashed.resolve("journal"));
		Instant now = Instant.now();
		Journal journal = new Journal(crashed.resolve("journal"));
		for (int i = 0; i < rooms; i++) {
			Room room = room(code(i), events, now);
			byte[] json = JSON.writeValueAsBytes(room);
			Files.write(clean.resolve(room.code() + ".json"), json);
			Files.write(crashed.resolve(room.code() + ".json"), json);
			Room next = room.edit().state(room.state().deepCopy().put("round", 2)).version(room.version() + 1).build();
			journal.put(next.code(), JSON.writeValueAsBytes(next));
		}
		journal.close();
		Files.write(clean.resolve(".clean-stop"), new byte[0]);
	}

	/** Writes journal segments as the store does (without forcing them). */
	private static final class Journal {

		private final Path dir;

		private long segment;

		private OutputStream out;

		private long size;

		Journal(Path dir) {
			this.dir = dir;
		}

		void put(String code, byte[] json) throws IOException {
			if (this.out == null || this.size >= 64L << 20) {
				close();
				this.out = new BufferedOutputStream(
						Files.newOutputStream(this.dir.resolve(String.format("%020d", ++this.segment) + ".log")),
						1 << 16);
				this.out.write("RKJOURN1".getBytes(StandardCharsets.US_ASCII));
				this.size = 8;
			}
			byte[] codeBytes = code.getBytes(StandardCharsets.US_ASCII);
			ByteBuffer payload = ByteBuffer.allocate(2 + codeBytes.length + json.length);
			payload.put((byte) 'P').put((byte) codeBytes.length).put(codeBytes).put(json);
			CRC32C crc = new CRC32C();
			crc.update(payload.array());
			this.out.write(ByteBuffer.allocate(8).putInt(payload.capacity()).putInt((int) crc.getValue()).array());
			this.out.write(payload.array());
			this.size += 8 + payload.capacity();
		}

		void close() throws IOException {
			if (this.out != null) {
				this.out.close();
			}
		}

	}

	/** A room as a busy one looks on disk. */
	static Room room(String code, int events, Instant now) {
		List<Member> members = new ArrayList<>();
		for (int m = 0; m < 3; m++) {
			ObjectNode metadata = JSON.createObjectNode().put("color", "#a0b0c" + m);
			metadata.putObject("cursor").put("x", 120 + m).put("y", 48);
			members.add(new Member("m" + m + code, "Member " + m, (m == 0) ? MemberRole.OWNER : MemberRole.MEMBER,
					Secrets.hashToken("token-" + m + code), m != 2, now, now, metadata));
		}
		ObjectNode state = JSON.createObjectNode().put("round", 1).put("phase", "playing").put("turn", "m1" + code);
		// keyed by member id: names that no other room has
		String ids = UNIQUE_KEYS ? code : "";
		state.putObject("scores").put("m0" + ids, 12).put("m1" + ids, 7).put("m2" + ids, 30);
		state.putArray("deck").add("7H").add("QS").add("2C").add("AD");
		ObjectNode settings = JSON.createObjectNode().put("theme", "dark").put("rounds", 5);
		List<HistoryEvent> history = new ArrayList<>(events);
		for (int seq = 1; seq <= events; seq++) {
			Object event;
			if (seq % 2 == 0) {
				event = new MessageEvent(code, now, seq, "m" + (seq % 3) + code,
						JSON.createObjectNode()
							.put("kind", "chat")
							.put("name", "Member " + (seq % 3))
							.put("text", "A chat line of about sixty characters, number " + seq));
			}
			else {
				event = new StateEvent(code, now, seq, seq, JSON.createObjectNode().put("round", seq / 10 + 1),
						"m" + (seq % 3) + code);
			}
			history.add(new HistoryEvent(seq, JSON.writeValueAsString(event)));
		}
		return new Room(code, "Room " + code, null, Secrets.hashToken("owner-" + code), false, true, 16, members,
				settings, state, events / 2, events, now, now, null, null, null, new RoomHistory(null, history));
	}

	private static String code(int i) {
		return String.format("R%07d", i);
	}

	private static Map<Long, Long> loadingThreadsCpu(ThreadMXBean threads) {
		Map<Long, Long> cpu = new HashMap<>();
		for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
			if (info != null && (info.getThreadName().equals("main")
					|| info.getThreadName().startsWith("ForkJoinPool.commonPool"))) {
				cpu.put(info.getThreadId(), threads.getThreadCpuTime(info.getThreadId()));
			}
		}
		return cpu;
	}

	private static long gcMillis() {
		long total = 0;
		for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
			total += Math.max(0, gc.getCollectionTime());
		}
		return total;
	}

	private static long usedHeapAfterGc() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		Runtime runtime = Runtime.getRuntime();
		return runtime.totalMemory() - runtime.freeMemory();
	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	private static String uptime() {
		try {
			return new String(new ProcessBuilder("uptime").start().getInputStream().readAllBytes()).trim();
		}
		catch (IOException ex) {
			return "uptime unknown";
		}
	}

	private static long bytes(Path dir) throws IOException {
		try (Stream<Path> files = Files.list(dir)) {
			return files.filter((file) -> file.toString().endsWith(".json"))
				.mapToLong((file) -> file.toFile().length())
				.sum();
		}
	}

	private static void run(String... command) throws Exception {
		Process process = new ProcessBuilder(command).inheritIO().start();
		if (process.waitFor() != 0) {
			throw new IllegalStateException("failed: " + String.join(" ", command));
		}
	}

}
