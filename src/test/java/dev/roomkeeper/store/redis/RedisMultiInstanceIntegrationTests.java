package dev.roomkeeper.store.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.RoomService;
import dev.roomkeeper.room.StatePatchRequest;
import dev.roomkeeper.room.event.PublishedEvent;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.ApiClient.Response;
import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.RecordedEvents;
import dev.roomkeeper.support.RunningApp;
import dev.roomkeeper.support.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two servers on random ports sharing one Redis (and key prefix) serve the same rooms:
 * what is done on one is seen on the other, events cross over with the same seq, and
 * concurrent changes through both lose nothing and respect capacity.
 */
class RedisMultiInstanceIntegrationTests {

	private static final String PREFIX = TestRedis.uniquePrefix(RedisMultiInstanceIntegrationTests.class);

	private static RunningApp a;

	private static RunningApp b;

	@BeforeAll
	static void startTwoInstances() {
		String[] properties = { "rooms.store.type=redis", "spring.data.redis.url=" + TestRedis.url(),
				"rooms.store.redis.key-prefix=" + PREFIX, "rooms.admin-token=health-admin-token-for-tests" };
		a = RunningApp.start(properties);
		b = RunningApp.start(properties);
	}

	@AfterAll
	static void stopInstances() {
		if (a != null) {
			a.close();
		}
		if (b != null) {
			b.close();
		}
		if (a == null) {
			return;
		}
		LettuceConnectionFactory connectionFactory = TestRedis.connectionFactory();
		TestRedis.deleteKeys(connectionFactory, PREFIX);
		connectionFactory.destroy();
	}

	@Test
	void restWhenRoomChangedOnAThenBServesIt() {
		CreatedRoom room = a.api()
			.createRoom(Map.of("name", "Quiz", "password", "pw", "maxMembers", 5, "state", Map.of("round", 1)));
		JoinedMember ann = b.api().join(room.code(), Map.of("name", "Ann", "password", "pw"));
		b.api()
			.post("/api/rooms/" + room.code() + "/state", Map.of("patch", Map.of("round", 2)), ann.token())
			.expectStatus(200);
		a.api().patch("/api/rooms/" + room.code(), Map.of("locked", true), room.ownerToken()).expectStatus(200);

		JsonNode onA = a.api().get("/api/rooms/" + room.code(), ann.token()).expectStatus(200).body();
		JsonNode onB = b.api().get("/api/rooms/" + room.code(), room.ownerToken()).expectStatus(200).body();

		for (JsonNode view : List.of(onA, onB)) {
			assertThat(view.get("members").findValuesAsString("name")).containsExactly("Ann");
			assertThat(view.get("state").toString()).isEqualTo("{\"round\":2}");
			assertThat(view.get("version").asLong()).isEqualTo(1);
			assertThat(view.get("locked").asBoolean()).isTrue();
			assertThat(view.get("seq").asLong()).isEqualTo(3);
		}
		assertThat(
				b.api().post("/api/rooms/" + room.code() + "/members", Map.of("name", "Bob", "password", "pw")).code())
			.isEqualTo("room-locked");
		a.api().delete("/api/rooms/" + room.code(), room.ownerToken()).expectStatus(204);
		assertThat(b.api().get("/api/rooms/" + room.code()).code()).isEqualTo("room-not-found");
	}

	@Test
	void eventsWhenRaisedOnAThenBGetsThemOnceWithTheSameSeq() {
		try (RecordedEvents onA = new RecordedEvents(a.bean(RoomEventBus.class));
				RecordedEvents onB = new RecordedEvents(b.bean(RoomEventBus.class))) {
			CreatedRoom room = a.api().createRoom();
			JoinedMember ann = a.api().join(room.code(), "Ann");
			a.api()
				.post("/api/rooms/" + room.code() + "/state", Map.of("patch", Map.of("x", 1)), ann.token())
				.expectStatus(200);
			a.api().delete("/api/rooms/" + room.code(), room.ownerToken()).expectStatus(204);

			assertThat(onA.of(room.code())).extracting(PublishedEvent::type)
				.containsExactly("member-joined", "state", "closed");
			await().atMost(Duration.ofSeconds(10)).until(() -> onB.of(room.code()).size() == 3);
			List<PublishedEvent> sent = onA.of(room.code());
			List<PublishedEvent> received = onB.of(room.code());
			assertThat(received).extracting(PublishedEvent::seq).containsExactly(1L, 2L, 3L);
			assertThat(received).extracting(PublishedEvent::type).containsExactly("member-joined", "state", "closed");
			assertThat(received).extracting(PublishedEvent::json)
				.containsExactlyElementsOf(sent.stream().map(PublishedEvent::json).toList());
			assertThat(sent).allSatisfy((event) -> assertThat(event.event()).isNotNull());
			assertThat(received).allSatisfy((event) -> assertThat(event.event()).isNull());
		}
	}

	@Test
	void stateWhenTwoInstancesPatchConcurrentlyThenNoUpdateIsLostAndSeqHasNoGap() throws Exception {
		CreatedRoom room = a.api().createRoom();
		int threadsPerInstance = 16;
		int patchesPerThread = 500;
		int total = 2 * threadsPerInstance * patchesPerThread;
		try (RecordedEvents onA = new RecordedEvents(a.bean(RoomEventBus.class));
				RecordedEvents onB = new RecordedEvents(b.bean(RoomEventBus.class))) {
			ExecutorService executor = Executors.newFixedThreadPool(2 * threadsPerInstance);
			try {
				List<Future<?>> futures = new ArrayList<>();
				for (RunningApp app : List.of(a, b)) {
					RoomService rooms = app.bean(RoomService.class);
					for (int t = 0; t < threadsPerInstance; t++) {
						String writer = app.port() + "-" + t;
						futures.add(executor.submit(() -> {
							for (int i = 0; i < patchesPerThread; i++) {
								StatePatchRequest patch = new StatePatchRequest(
										JsonNodeFactory.instance.objectNode().put("last", writer + "-" + i), null);
								rooms.patchState(room.code(), room.ownerToken(), patch, Durability.DURABLE);
							}
						}));
					}
				}
				for (Future<?> future : futures) {
					future.get(5, TimeUnit.MINUTES);
				}
			}
			finally {
				executor.shutdownNow();
			}

			JsonNode stored = b.api().get("/api/rooms/" + room.code(), room.ownerToken()).expectStatus(200).body();
			assertThat(stored.get("version").asLong()).isEqualTo(total);
			assertThat(stored.get("seq").asLong()).isEqualTo(total);
			List<Long> everySeq = LongStream.rangeClosed(1, total).boxed().toList();
			for (RecordedEvents events : List.of(onA, onB)) {
				await().atMost(Duration.ofSeconds(30)).until(() -> events.of(room.code()).size() == total);
				assertThat(events.of(room.code())).extracting(PublishedEvent::seq).containsExactlyElementsOf(everySeq);
			}
		}
	}

	@Test
	void joinWhen1000ConcurrentJoinsAcrossInstancesThenExactlyTheCapacityIsAdmitted() throws Exception {
		CreatedRoom room = a.api().createRoom(Map.of("maxMembers", 10));
		int joins = 1000;
		AtomicInteger admitted = new AtomicInteger();
		AtomicInteger full = new AtomicInteger();
		List<String> other = new ArrayList<>();
		List<ApiClient> clients = List.of(a.api(), b.api());
		ExecutorService executor = Executors.newFixedThreadPool(32);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int i = 0; i < joins; i++) {
				ApiClient api = clients.get(i % 2);
				String name = "Player " + i;
				futures.add(executor.submit(() -> {
					Response response = api.post("/api/rooms/" + room.code() + "/members", Map.of("name", name));
					if (response.status() == 201) {
						admitted.incrementAndGet();
					}
					else if ("room-full".equals(response.code())) {
						full.incrementAndGet();
					}
					else {
						synchronized (other) {
							other.add(response.status() + " " + response.raw());
						}
					}
				}));
			}
			for (Future<?> future : futures) {
				future.get(5, TimeUnit.MINUTES);
			}
		}
		finally {
			executor.shutdownNow();
		}

		assertThat(other).isEmpty();
		assertThat(admitted).hasValue(10);
		assertThat(full).hasValue(joins - 10);
		JsonNode stored = a.api().get("/api/rooms/" + room.code(), room.ownerToken()).expectStatus(200).body();
		assertThat(stored.get("members")).hasSize(10);
		assertThat(stored.get("seq").asLong()).isEqualTo(10);
	}

	@Test
	void metricsWhenRedisStoreThenEveryWriteIsTimed() {
		b.api().createRoom();

		String metrics = b.api().get("/actuator/prometheus").expectStatus(200).raw();

		assertThat(metrics.lines()
			.filter((line) -> line.startsWith("roomkeeper_store_write_seconds_count{")
					&& line.contains("store=\"redis\""))
			.map((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))).singleElement()
			.satisfies((count) -> assertThat(count).isGreaterThanOrEqualTo(1));
	}

	@Test
	void healthWhenRedisStoreThenStoreComponentShowsRedisWithLatency() {
		JsonNode health = b.api().get("/actuator/health", "health-admin-token-for-tests").expectStatus(200).body();

		JsonNode store = health.get("components").get("store");
		assertThat(store.get("status").asString()).isEqualTo("UP");
		assertThat(store.get("details").get("type").asString()).isEqualTo("redis");
		assertThat(store.get("details").get("latencyMs").isNumber()).isTrue();
		assertThat(store.get("details").get("events").asString()).isEqualTo("listening");
		assertThat(health.get("components").has("redis")).isFalse();
	}

}
