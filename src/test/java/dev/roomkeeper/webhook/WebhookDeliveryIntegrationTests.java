package dev.roomkeeper.webhook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.annotation.DirtiesContext;

import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.PrometheusScrape;
import dev.roomkeeper.support.WebhookReceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhooks to real HTTP receivers (the JDK's HttpServer on random ports) over the file
 * store: one fails the first attempts of every webhook, the other is down until the test
 * brings it back. Signatures are verified with plain javax.crypto.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "rooms.store.type=file", "rooms.limits.failed-joins-per-minute=100000",
				"rooms.admin-token=admin-token-0123456789abcdef", "rooms.webhooks.initial-backoff=20ms",
				"rooms.webhooks.max-backoff=100ms", "rooms.webhooks.give-up-after=3s",
				"rooms.webhooks.rescan-interval=1s" })
// The store lives in a temporary directory of this class: close it (and stop its
// background
// checkpoints) before JUnit deletes the directory, rather than leave it in the context
// cache.
@DirtiesContext
class WebhookDeliveryIntegrationTests {

	static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

	static final String SECRET_2 = "whsec_c2Vjb25kLXNlY3JldC1mb3ItdGVzdHMtMTIzNDU2";

	static final String ADMIN = "admin-token-0123456789abcdef";

	static final WebhookReceiver flaky;

	static final WebhookReceiver down;

	static final Path dir;

	static {
		try {
			flaky = new WebhookReceiver(SECRET);
			down = new WebhookReceiver(SECRET_2);
			dir = Files.createTempDirectory("webhooks");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		flaky.failFirst(2);
		down.answerAlways(() -> 503);
	}

	@DynamicPropertySource
	static void endpoints(DynamicPropertyRegistry registry) {
		registry.add("rooms.store.dir", dir::toString);
		registry.add("rooms.webhooks.endpoints[0].url", flaky::url);
		registry.add("rooms.webhooks.endpoints[0].secret", () -> SECRET);
		registry.add("rooms.webhooks.endpoints[0].events",
				() -> "room.created,room.closed,member.joined,member.removed,room.settings,room.state");
		registry.add("rooms.webhooks.endpoints[1].url", down::url);
		registry.add("rooms.webhooks.endpoints[1].secret", () -> SECRET_2);
		registry.add("rooms.webhooks.endpoints[1].events", () -> "room.closed");
	}

	@AfterAll
	static void stopReceivers() {
		flaky.close();
		down.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	RoomRepository repository;

	@Test
	void everyWebhookArrivesSignedInRoomOrderWithTheSameIdOnRetries() {
		ApiClient api = new ApiClient(this.port);
		List<String> codes = new ArrayList<>();
		for (int r = 0; r < 3; r++) {
			CreatedRoom room = api.createRoom();
			codes.add(room.code());
			JoinedMember ann = api.join(room.code(), "Ann");
			api.join(room.code(), "Bob");
			for (int i = 0; i < 5; i++) {
				api.post("/api/rooms/" + room.code() + "/state", Map.of("patch", Map.of("n", i)), ann.token())
					.expectStatus(200);
			}
			api.patch("/api/rooms/" + room.code(), Map.of("name", "Renamed"), room.ownerToken()).expectStatus(200);
			api.delete("/api/rooms/" + room.code() + "/members/" + ann.memberId(), ann.token()).expectStatus(204);
			api.delete("/api/rooms/" + room.code(), room.ownerToken()).expectStatus(204);
		}
		// per room: created, 2 joined, 5 state, settings, removed, closed = 11
		await().atMost(Duration.ofSeconds(30)).until(() -> flaky.delivered().size() >= 33);

		assertThat(flaky.delivered()).hasSize(33);
		assertThat(flaky.attempts()).allMatch(WebhookReceiver.Attempt::signatureValid);
		for (WebhookReceiver.Attempt delivered : flaky.delivered()) {
			assertThat(flaky.attemptsOf(delivered.id())).as(delivered.id()).isEqualTo(3);
		}
		for (String code : codes) {
			List<WebhookReceiver.Attempt> ofRoom = flaky.delivered()
				.stream()
				.filter((attempt) -> attempt.room().equals(code))
				.toList();
			assertThat(ofRoom.stream().map(WebhookReceiver.Attempt::type)).containsExactly("room.created",
					"member.joined", "member.joined", "room.state", "room.state", "room.state", "room.state",
					"room.state", "room.settings", "member.removed", "room.closed");
			List<Long> seqs = ofRoom.stream().map(WebhookReceiver.Attempt::seq).toList();
			assertThat(seqs).isSorted();
			JsonNode closed = ofRoom.get(ofRoom.size() - 1).body();
			assertThat(closed.get("data").get("reason").asString()).isEqualTo("owner");
			assertThat(closed.has("timestamp")).isTrue();
			assertThat(api.get("/api/rooms/" + code).status()).isEqualTo(404);
		}

		// The second endpoint was down for longer than give-up-after: its room.closed
		// webhooks are kept as failed, listed, and sent again on request.
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			JsonNode report = api.get("/api/admin/webhooks", ADMIN).expectStatus(200).body();
			assertThat(report.get("failed")).hasSize(3);
		});
		JsonNode report = api.get("/api/admin/webhooks", ADMIN).body();
		assertThat(report.get("endpoints").get(1).get("failed").asInt()).isEqualTo(3);
		assertThat(report.get("endpoints").get(1).get("lastError").asString()).contains("503");
		assertThat(report.get("endpoints").get(0).get("lastSuccessAt").isNull()).isFalse();
		JsonNode failed = report.get("failed").get(0);
		assertThat(failed.get("type").asString()).isEqualTo("room.closed");
		assertThat(failed.get("attempts").asInt()).isGreaterThan(1);
		assertThat(this.repository.count()).isEqualTo(3);

		down.answerAlways(() -> 200);
		for (JsonNode each : report.get("failed")) {
			api.post("/api/admin/webhooks/" + each.get("id").asString() + "/retry", null, ADMIN).expectStatus(202);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> down.delivered().size() == 3);
		assertThat(down.delivered().stream().map(WebhookReceiver.Attempt::type)).containsOnly("room.closed");
		assertThat(down.attempts()).allMatch(WebhookReceiver.Attempt::signatureValid);
		// Closed rooms are deleted once their outbox is empty.
		await().atMost(Duration.ofSeconds(10)).until(() -> this.repository.count() == 0);
		assertThat(api.post("/api/admin/webhooks/msg_NOPE_00_x/retry", null, ADMIN).status()).isEqualTo(404);

		PrometheusScrape metrics = PrometheusScrape.of(api);
		assertThat(metrics.value("roomkeeper_webhooks_deliveries_total{outcome=\"delivered\"}")).isEqualTo(36);
		assertThat(metrics.value("roomkeeper_webhooks_deliveries_total{outcome=\"failed\"}")).isEqualTo(3);
		assertThat(metrics.value("roomkeeper_webhooks_deliveries_total{outcome=\"retry\"}")).isGreaterThanOrEqualTo(66);
		assertThat(metrics.value("roomkeeper_webhooks_delivery_seconds_count")).isGreaterThan(100);
		assertThat(metrics.has("roomkeeper_webhooks_pending")).isTrue();
		assertThat(metrics.has("roomkeeper_webhooks_failed")).isTrue();
	}

}
