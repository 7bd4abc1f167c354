package dev.roomkeeper.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.roomkeeper.room.ChangeResult;
import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.event.MessageEvent;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.store.redis.RedisRoomRepository;
import dev.roomkeeper.support.TestRedis;
import dev.roomkeeper.support.TestRooms;

/**
 * The Redis store's event path between two instances: writers on instance A raise room
 * events (as a broadcast does: seq + 1, stored, published), instance B receives them
 * through the events channel. Two repositories with their own Redis connections play the
 * two instances in one JVM. Reports events per second delivered on B, the latency from
 * the change on A to delivery on B (p50, p99), the writers' update latency, and Redis
 * commands per event from {@code INFO commandstats} before and after (run it on a Redis
 * nobody else uses). Not a test.
 * <p>
 * System properties: {@code bench.redis} (default {@code REDIS_URL}, else
 * redis://127.0.0.1:6379), {@code bench.rooms} (100), {@code bench.writers} (8),
 * {@code bench.seconds} (10).
 */
public final class RedisEventsBenchmark {

	private final String url = System.getProperty("bench.redis",
			(System.getenv("REDIS_URL") != null) ? System.getenv("REDIS_URL") : "redis://127.0.0.1:6379");

	private final int rooms = Integer.getInteger("bench.rooms", 100);

	private final int writers = Integer.getInteger("bench.writers", 8);

	private final int seconds = Integer.getInteger("bench.seconds", 10);

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	private final Map<String, Long> sentAt = new ConcurrentHashMap<>();

	private final ConcurrentLinkedQueue<Long> deliveryNanos = new ConcurrentLinkedQueue<>();

	private final ConcurrentLinkedQueue<Long> updateNanos = new ConcurrentLinkedQueue<>();

	private final LongAdder delivered = new LongAdder();

	private volatile boolean measuring;

	public static void main(String[] args) throws Exception {
		new RedisEventsBenchmark().run();
		System.exit(0);
	}

	private void run() throws Exception {
		String prefix = "bench:" + UUID.randomUUID().toString().substring(0, 8) + ":";
		LettuceConnectionFactory factoryA = TestRedis.connectionFactory(this.url);
		LettuceConnectionFactory factoryB = TestRedis.connectionFactory(this.url);
		RoomEventBus busB = new RoomEventBus(this.jsonMapper);
		busB.addListener((event) -> {
			Long sent = this.sentAt.remove(event.room() + "/" + event.seq());
			if (this.measuring && sent != null) {
				this.deliveryNanos.add(System.nanoTime() - sent);
				this.delivered.increment();
			}
		});
		RedisRoomRepository a = new RedisRoomRepository(factoryA, prefix, this.jsonMapper,
				new RoomEventBus(this.jsonMapper));
		RedisRoomRepository b = new RedisRoomRepository(factoryB, prefix, this.jsonMapper, busB);
		Instant now = Instant.now();
		List<String> codes = new ArrayList<>();
		for (int i = 0; i < this.rooms; i++) {
			String code = "BENCH" + i;
			a.create(TestRooms.room(code, now));
			codes.add(code);
		}
		System.out.printf("workload: %d rooms, %d writers on instance A, events received on instance B, %d s%n",
				this.rooms, this.writers, this.seconds);

		runWriters(a, codes, 2);
		this.deliveryNanos.clear();
		this.updateNanos.clear();
		Map<String, Long> before = commandCalls(factoryA);
		this.measuring = true;
		long started = System.nanoTime();
		long events = runWriters(a, codes, this.seconds);
		double elapsed = (System.nanoTime() - started) / 1e9;
		this.measuring = false;
		Map<String, Long> after = commandCalls(factoryA);

		System.out.printf("events raised on A: %,d (%,.0f/s); delivered on B: %,d (%,.0f/s)%n", events,
				events / elapsed, this.delivered.sum(), this.delivered.sum() / elapsed);
		System.out.printf("A update -> B listener: p50 %.2f ms, p99 %.2f ms%n", percentile(this.deliveryNanos, 50),
				percentile(this.deliveryNanos, 99));
		System.out.printf("update on A (returns once A's listeners have the event): p50 %.2f ms, p99 %.2f ms%n",
				percentile(this.updateNanos, 50), percentile(this.updateNanos, 99));
		long total = 0;
		StringBuilder breakdown = new StringBuilder();
		for (Map.Entry<String, Long> entry : after.entrySet()) {
			long calls = entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
			if (calls > 0 && !entry.getKey().equals("info")) {
				total += calls;
				breakdown.append(String.format(" %s %.2f", entry.getKey(), (double) calls / events));
			}
		}
		System.out.printf("Redis commands per event: %.2f (%s)%n", (double) total / events,
				breakdown.toString().trim());

		a.close();
		b.close();
		TestRedis.deleteKeys(factoryA, prefix);
		factoryA.destroy();
		factoryB.destroy();
	}

	private long runWriters(RedisRoomRepository a, List<String> codes, int forSeconds) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(this.writers);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(forSeconds);
		LongAdder raised = new LongAdder();
		List<Future<?>> futures = new ArrayList<>();
		for (int w = 0; w < this.writers; w++) {
			int writer = w;
			futures.add(executor.submit(() -> {
				int i = writer;
				while (System.nanoTime() < deadline) {
					String code = codes.get(i++ % codes.size());
					long start = System.nanoTime();
					a.update(code, (room) -> {
						Room next = room.touched(Instant.now()).nextSeq();
						this.sentAt.put(code + "/" + next.seq(), System.nanoTime());
						return ChangeResult.save(next, null, new MessageEvent(code, Instant.now(), next.seq(), "m1",
								this.jsonMapper.getNodeFactory().textNode("hello")));
					}, Durability.DEFERRED);
					if (this.measuring) {
						this.updateNanos.add(System.nanoTime() - start);
					}
					raised.increment();
				}
			}));
		}
		for (Future<?> future : futures) {
			future.get();
		}
		executor.shutdown();
		return raised.sum();
	}

	private static Map<String, Long> commandCalls(LettuceConnectionFactory factory) {
		Properties stats = new StringRedisTemplate(factory)
			.execute((RedisCallback<Properties>) (connection) -> connection.serverCommands().info("commandstats"));
		Map<String, Long> calls = new TreeMap<>();
		for (String name : stats.stringPropertyNames()) {
			String value = stats.getProperty(name);
			int start = value.indexOf("calls=");
			if (name.startsWith("cmdstat_") && start >= 0) {
				int end = value.indexOf(',', start);
				calls.put(name.substring("cmdstat_".length()), Long.parseLong(value.substring(start + 6, end)));
			}
		}
		return calls;
	}

	private static double percentile(ConcurrentLinkedQueue<Long> nanos, int percentile) {
		long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
		if (sorted.length == 0) {
			return Double.NaN;
		}
		Arrays.sort(sorted);
		int index = (int) Math.min(sorted.length - 1, Math.ceil(sorted.length * percentile / 100.0) - 1);
		return sorted[Math.max(0, index)] / 1e6;
	}

}
