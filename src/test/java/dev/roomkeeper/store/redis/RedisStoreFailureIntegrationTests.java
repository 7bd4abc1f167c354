package dev.roomkeeper.store.redis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.roomkeeper.room.event.PublishedEvent;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.ApiClient.Response;
import dev.roomkeeper.support.ExpectedErrorLogs;
import dev.roomkeeper.support.LiveClient;
import dev.roomkeeper.support.LiveClient.Received;
import dev.roomkeeper.support.LiveClient.Session;
import dev.roomkeeper.support.RecordedEvents;
import dev.roomkeeper.support.RedisServerProcess;
import dev.roomkeeper.support.RunningApp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two servers on a Redis of the test's own, which the test stops and starts again: while
 * it is down health is DOWN, the API answers 503 {@code store-unavailable} and live
 * clients get an {@code error} (and stay connected); when it is back both servers recover
 * by themselves, events included.
 */
@ExpectedErrorLogs(value = "io.lettuce.core.protocol.ConnectionWatchdog",
		because = "Redis is stopped under running servers (the client's Cannot reconnect warnings)")
class RedisStoreFailureIntegrationTests {

	@TempDir
	Path dir;

	private static String[] properties(RedisServerProcess redis) {
		return new String[] { "rooms.store.type=redis", "spring.data.redis.url=" + redis.url(),
				"rooms.store.redis.key-prefix=failure:", "rooms.admin-token=health-admin-token-for-tests" };
	}

	@Test
	void redisWhenStoppedThenUnavailableAndWhenStartedAgainThenServersRecover() {
		try (RedisServerProcess redis = RedisServerProcess.start(this.dir);
				RunningApp a = RunningApp.start(properties(redis));
				RunningApp b = RunningApp.start(properties(redis));
				RecordedEvents eventsOnB = new RecordedEvents(b.bean(RoomEventBus.class));
				LiveClient live = new LiveClient(a.port())) {
			CreatedRoom room = a.api().createRoom(Map.of("name", "Before the outage"));
			JoinedMember ann = b.api().join(room.code(), "Ann");
			assertThat(storeHealth(a.api()).get("status").asString()).isEqualTo("UP");
			Session annLive = live.connect(ann.token());
			annLive.join(room.code());

			redis.stop();

			annLive.send("/app/rooms/" + room.code() + "/broadcast", Map.of("data", "during the outage"));
			Received error = annLive.awaitUser("error");
			assertThat(error.body().path("code").asString()).isEqualTo("store-unavailable");
			assertThat(annLive.isConnected()).isTrue();

			for (ApiClient api : new ApiClient[] { a.api(), b.api() }) {
				Response health = api.get("/actuator/health", "health-admin-token-for-tests");
				assertThat(health.status()).isEqualTo(503);
				assertThat(health.body().get("status").asString()).isEqualTo("DOWN");
				assertThat(health.body().get("components").get("store").get("status").asString()).isEqualTo("DOWN");
				assertThat(health.body().get("components").get("store").get("details").get("type").asString())
					.isEqualTo("redis");
				assertStoreUnavailable(api.post("/api/rooms/" + room.code() + "/state",
						Map.of("patch", Map.of("during", "outage")), ann.token()));
				assertStoreUnavailable(api.get("/api/rooms/" + room.code()));
				assertStoreUnavailable(api.post("/api/rooms", Map.of("name", "During the outage")));
			}

			redis.start();

			for (ApiClient api : new ApiClient[] { a.api(), b.api() }) {
				await().atMost(Duration.ofSeconds(30))
					.untilAsserted(() -> assertThat(api.get("/actuator/health").status()).isEqualTo(200));
			}
			JsonNode version = a.api()
				.post("/api/rooms/" + room.code() + "/state", Map.of("patch", Map.of("after", "outage")), ann.token())
				.expectStatus(200)
				.body();
			assertThat(version.get("version").asLong()).isEqualTo(1);
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(eventsOnB.of(room.code())).extracting(PublishedEvent::type)
					.containsExactly("member-joined", "member-connected", "state"));
			annLive.awaitRoom("state");
			JsonNode stored = b.api().get("/api/rooms/" + room.code(), ann.token()).expectStatus(200).body();
			assertThat(stored.get("name").asString()).isEqualTo("Before the outage");
			assertThat(stored.get("state").toString()).isEqualTo("{\"after\":\"outage\"}");
			b.api().createRoom(Map.of("name", "After the outage"));
		}
	}

	private static JsonNode storeHealth(ApiClient api) {
		return api.get("/actuator/health", "health-admin-token-for-tests").body().get("components").get("store");
	}

	private static void assertStoreUnavailable(Response response) {
		assertThat(response.status()).isEqualTo(503);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.code()).isEqualTo("store-unavailable");
		assertThat(response.headers().firstValue("Retry-After")).isPresent();
	}

}
