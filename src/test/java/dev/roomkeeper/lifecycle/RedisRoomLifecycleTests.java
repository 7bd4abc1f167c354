package dev.roomkeeper.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.room.FailedLookupLimiter;
import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.room.RoomService;
import dev.roomkeeper.room.event.PublishedEvent;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.store.redis.RedisRoomRepository;
import dev.roomkeeper.support.MutableClock;
import dev.roomkeeper.support.RecordedEvents;
import dev.roomkeeper.support.TestRedisExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The room lifecycle on the Redis store, and what only a shared store has: several
 * instances sweeping the same rooms at once.
 */
class RedisRoomLifecycleTests extends AbstractRoomLifecycleTests {

	@RegisterExtension
	static final TestRedisExtension testRedis = new TestRedisExtension(RedisRoomLifecycleTests.class);

	private static final AtomicInteger tests = new AtomicInteger();

	/** The prefix of this test: every repository it opens shares it, like instances. */
	private final String prefix = testRedis.prefix() + tests.incrementAndGet() + ":";

	private final List<RedisRoomRepository> others = new ArrayList<>();

	@Override
	protected RoomRepository createRepository(RoomEventBus eventBus, JsonMapper jsonMapper, MutableClock clock) {
		return new RedisRoomRepository(testRedis.connectionFactory(), this.prefix, jsonMapper, eventBus);
	}

	@Override
	protected void closeRepository(RoomRepository repository) {
		((RedisRoomRepository) repository).close();
	}

	@AfterEach
	void closeOtherInstances() {
		this.others.forEach(RedisRoomRepository::close);
	}

	/**
	 * Another instance on the same Redis and prefix: its own bus, service and sweeper.
	 */
	private Instance otherInstance() {
		RoomEventBus bus = new RoomEventBus(this.jsonMapper);
		RecordedEvents events = new RecordedEvents(bus);
		RedisRoomRepository repository = new RedisRoomRepository(testRedis.connectionFactory(), this.prefix,
				this.jsonMapper, bus);
		this.others.add(repository);
		RoomService rooms = new RoomService(repository, this.properties,
				new FailedLookupLimiter(this.properties, this.clock), this.jsonMapper, this.clock);
		return new Instance(new RoomSweeper(rooms, repository, this.properties, this.clock, 3, null), events);
	}

	@Test
	void sweepWhenThreeInstancesSweepAtOnceThenEachExpiredRoomIsClosedOnce() throws Exception {
		List<Instance> instances = List.of(new Instance(this.sweeper, this.events), otherInstance(), otherInstance());
		List<String> codes = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			codes.add(createRoom().room().code());
		}
		this.clock.advance(IDLE_TIMEOUT);

		CountDownLatch start = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(instances.size());
		int closed = 0;
		try {
			List<Future<Integer>> sweeps = new ArrayList<>();
			for (Instance instance : instances) {
				sweeps.add(executor.submit(() -> {
					start.await();
					return instance.sweeper().sweep().closed();
				}));
			}
			start.countDown();
			for (Future<Integer> sweep : sweeps) {
				closed += sweep.get(1, TimeUnit.MINUTES);
			}
		}
		finally {
			executor.shutdownNow();
		}

		assertThat(closed).isEqualTo(codes.size());
		assertThat(this.repository.count()).isZero();
		for (Instance instance : instances) {
			await().atMost(java.time.Duration.ofSeconds(10))
				.until(() -> closedRooms(instance.events()).size() >= codes.size());
			assertThat(closedRooms(instance.events())).containsExactlyInAnyOrderElementsOf(codes);
		}
	}

	/** Rooms closed, by the events an instance received (from any instance). */
	private static List<String> closedRooms(RecordedEvents events) {
		return events.all().stream().filter(PublishedEvent::isClosed).map(PublishedEvent::room).toList();
	}

	private record Instance(RoomSweeper sweeper, RecordedEvents events) {
	}

}
