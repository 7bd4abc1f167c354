package dev.roomkeeper.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.annotation.DirtiesContext;

import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.room.RoomService;
import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.LiveClient;
import dev.roomkeeper.support.PrometheusScrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/prometheus} after a scripted session, and {@code /actuator/health} of
 * the file store, on a real server with a file store in a temp directory.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "rooms.store.type=file", "rooms.max-rooms=3", "rooms.limits.failed-joins-per-minute=1000",
				"rooms.admin-token=health-admin-token-for-tests" })
// The store lives in a temporary directory of this class: close it (and stop its
// background
// checkpoints) before JUnit deletes the directory, rather than leave it in the context
// cache.
@DirtiesContext
class MetricsAndHealthIntegrationTests {

	@TempDir
	static Path storeDir;

	@DynamicPropertySource
	static void store(DynamicPropertyRegistry registry) {
		registry.add("rooms.store.dir", () -> storeDir.toString());
	}

	@LocalServerPort
	int port;

	@Autowired
	RoomRepository repository;

	@Autowired
	RoomService rooms;

	private ApiClient api;

	@BeforeEach
	void setUp() {
		this.api = new ApiClient(this.port);
		this.repository.findAll().forEach((room) -> this.rooms.close(room.code(), "admin"));
	}

	@Test
	void scriptedSessionShowsEveryMetricWithItsValue() {
		PrometheusScrape before = PrometheusScrape.of(this.api);

		ApiClient.CreatedRoom a = this.api.createRoom(Map.of("name", "A"));
		ApiClient.CreatedRoom b = this.api.createRoom(Map.of("name", "B"));
		ApiClient.CreatedRoom c = this.api.createRoom(Map.of("name", "C"));
		ApiClient.JoinedMember ann = this.api.join(a.code(), "Ann");
		ApiClient.JoinedMember bob = this.api.join(a.code(), "Bob");
		this.api.join(b.code(), "Cy");
		this.api.post("/api/rooms/" + a.code() + "/state", Map.of("patch", Map.of("n", 1)), ann.token())
			.expectStatus(200);
		this.api.post("/api/rooms/" + a.code() + "/state", Map.of("patch", Map.of("n", 2)), ann.token())
			.expectStatus(200);
		this.api.patch("/api/rooms/" + a.code(), Map.of("locked", true), a.ownerToken()).expectStatus(200);
		this.api.delete("/api/rooms/" + a.code() + "/members/" + bob.memberId(), a.ownerToken()).expectStatus(204);
		this.api.delete("/api/rooms/" + c.code(), c.ownerToken()).expectStatus(204);
		this.api.createRoom(Map.of("name", "D"));
		// The fourth open room: B is the least recently active, so it is evicted.
		this.api.createRoom(Map.of("name", "E"));
		assertThat(this.api.get("/api/rooms/" + b.code()).code()).isEqualTo("room-not-found");

		try (LiveClient live = new LiveClient(this.port)) {
			LiveClient.Session session = live.connect(ann.token());
			session.join(a.code());
			session.send("/app/rooms/" + a.code() + "/broadcast", Map.of("data", "one"));
			session.send("/app/rooms/" + a.code() + "/broadcast", Map.of("data", "two"));
			session.awaitRoom(
					(event) -> "message".equals(event.type()) && "two".equals(event.body().path("data").asString()));
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				PrometheusScrape connected = PrometheusScrape.of(this.api);
				assertThat(connected.value("roomkeeper_connections")).isEqualTo(1);
				assertThat(delta(before, connected, "roomkeeper_messages_in_total")).isEqualTo(2);
				// The snapshot, member-connected and the two messages at least.
				assertThat(delta(before, connected, "roomkeeper_messages_out_total")).isGreaterThanOrEqualTo(4);
				assertThat(delta(before, connected, "roomkeeper_events_total{type=\"message\"}")).isEqualTo(2);
				assertThat(delta(before, connected, "roomkeeper_events_total{type=\"member-connected\"}")).isEqualTo(1);
			});
		}

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			PrometheusScrape after = PrometheusScrape.of(this.api);
			assertThat(after.value("roomkeeper_rooms_open")).isEqualTo(3);
			assertThat(after.value("roomkeeper_members")).isEqualTo(1);
			assertThat(after.value("roomkeeper_connections")).isZero();
			assertThat(delta(before, after, "roomkeeper_events_total{type=\"member-joined\"}")).isEqualTo(3);
			assertThat(delta(before, after, "roomkeeper_events_total{type=\"state\"}")).isEqualTo(2);
			assertThat(delta(before, after, "roomkeeper_events_total{type=\"settings\"}")).isEqualTo(1);
			assertThat(delta(before, after, "roomkeeper_events_total{type=\"member-removed\"}")).isEqualTo(1);
			assertThat(delta(before, after, "roomkeeper_events_total{type=\"closed\"}")).isEqualTo(2);
			assertThat(delta(before, after, "roomkeeper_events_total{type=\"member-disconnected\"}")).isEqualTo(1);
			assertThat(delta(before, after, "roomkeeper_rooms_closed_total{reason=\"owner\"}")).isEqualTo(1);
			assertThat(delta(before, after, "roomkeeper_rooms_closed_total{reason=\"evicted\"}")).isEqualTo(1);
			assertThat(delta(before, after, "roomkeeper_evictions_total")).isEqualTo(1);
			// At most one batch per change: 14 durable ones (5 creations,
			// 3 joins, 2 states, 1 settings, 1 kick, 2 closes), and the live
			// session's 4 (connect, 2 messages, disconnect), which are
			// journaled within the flush interval: 1 to 4 batches by timing.
			assertThat(delta(before, after, "roomkeeper_store_write_seconds_count{store=\"file\"}")).isBetween(1.0,
					18.0);
			assertThat(after.value("roomkeeper_store_write_seconds_sum{store=\"file\"}")).isPositive();
			assertThat(after.value("roomkeeper_sweep_seconds_count")).isGreaterThanOrEqualTo(0);
			assertThat(after.value("roomkeeper_sweep_seconds_max")).isGreaterThanOrEqualTo(0);
		});
	}

	@Test
	void healthWithoutTheAdminTokenShowsTheStatusOnly() {
		for (String token : new String[] { null, "not-the-admin-token" }) {
			JsonNode health = this.api.get("/actuator/health", token).expectStatus(200).body();
			assertThat(health.get("status").asString()).isEqualTo("UP");
			assertThat(health.has("components")).isFalse();
			assertThat(health.toString()).doesNotContain("freeBytes", "directory");
		}
	}

	@Test
	void healthShowsFileStoreDirectoryWritableWithFreeSpace() {
		JsonNode health = this.api.get("/actuator/health", "health-admin-token-for-tests").expectStatus(200).body();
		assertThat(health.get("status").asString()).isEqualTo("UP");
		JsonNode store = health.get("components").get("store");
		assertThat(store.get("status").asString()).isEqualTo("UP");
		JsonNode details = store.get("details");
		assertThat(details.get("type").asString()).isEqualTo("file");
		assertThat(Path.of(details.get("directory").asString())).isEqualTo(storeDir.toAbsolutePath());
		assertThat(details.get("writable").asBoolean()).isTrue();
		assertThat(details.get("freeBytes").asLong()).isGreaterThan(details.get("minFreeBytes").asLong());
		assertThat(details.has("lastWriteError")).isFalse();
		assertThat(Files.isDirectory(storeDir)).isTrue();
	}

	@Test
	void onlyHealthAndPrometheusEndpointsAreExposed() {
		for (String path : List.of("/actuator/env", "/actuator/beans", "/actuator/metrics", "/actuator/configprops",
				"/actuator/heapdump", "/actuator/threaddump", "/actuator/loggers", "/actuator/shutdown")) {
			assertThat(this.api.get(path).status()).as(path).isEqualTo(404);
		}
		assertThat(this.api.get("/actuator/prometheus").contentType()).startsWith("text/plain");
	}

	private static double delta(PrometheusScrape before, PrometheusScrape after, String sample) {
		return after.value(sample) - before.value(sample);
	}

}
