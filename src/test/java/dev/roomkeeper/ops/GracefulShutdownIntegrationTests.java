package dev.roomkeeper.ops;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.messaging.simp.stomp.StompHeaders;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.LiveClient;
import dev.roomkeeper.support.ServerProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM to the packaged server while REST clients write and live clients are connected:
 * the live clients are told the server is restarting, it stops accepting, finishes what
 * it acknowledged, flushes the store and exits within the shutdown timeout; after a
 * restart everything it acknowledged is there, including changes it had only deferred,
 * and the live clients come back with their tokens.
 */
class GracefulShutdownIntegrationTests {

	private static final int WRITERS = 4;

	/**
	 * {@code spring.lifecycle.timeout-per-shutdown-phase} plus time to flush and exit.
	 */
	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

	/** What the JVM reports after running its shutdown hooks for SIGTERM (128 + 15). */
	private static final int EXIT_AFTER_SIGTERM = 143;

	@TempDir
	Path temp;

	@Test
	void sigtermWhileClientsWriteThenNoticeCleanExitAndEverythingAcknowledgedSurvives() throws Exception {
		Path dir = this.temp.resolve("rooms");
		List<ApiClient.CreatedRoom> rooms = new ArrayList<>();
		Map<String, AtomicLong> acknowledged = new ConcurrentHashMap<>();
		ApiClient.CreatedRoom quiet;
		Instant deferredActivity;
		ApiClient.JoinedMember ann;
		ApiClient.JoinedMember bob;
		ServerProcess server = ServerProcess.start(this.temp.resolve("server.log"), "rooms.store.dir=" + dir,
				"rooms.store.flush-interval=1h");
		ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
		try (server; LiveClient live = new LiveClient(server.port())) {
			ApiClient api = server.api();
			quiet = api.createRoom(Map.of("name", "Quiet", "password", "pw-quiet"));
			ann = api.join(quiet.code(), Map.of("name", "Ann", "password", "pw-quiet"));
			bob = api.join(quiet.code(), Map.of("name", "Bob", "password", "pw-quiet"));
			LiveClient.Session annLive = live.connect(ann.token());
			LiveClient.Session bobLive = live.connect(bob.token());
			annLive.join(quiet.code());
			bobLive.join(quiet.code());
			// A live change is deferred: with a flush interval of an hour, only the flush
			// on
			// shutdown stores it.
			annLive.send("/app/rooms/" + quiet.code() + "/presence", Map.of("metadata", Map.of("seat", 7)));
			bobLive.awaitRoom("presence");
			// A look-up with a token records activity as a deferred change too.
			deferredActivity = Instant.parse(api.get("/api/rooms/" + quiet.code(), ann.token())
				.expectStatus(200)
				.body()
				.get("lastActivityAt")
				.asString());
			List<Future<?>> running = new ArrayList<>();
			for (int i = 0; i < WRITERS; i++) {
				ApiClient.CreatedRoom room = api.createRoom(Map.of("name", "Busy " + i));
				rooms.add(room);
				AtomicLong version = new AtomicLong();
				acknowledged.put(room.code(), version);
				running.add(writers.submit(() -> writeUntilRefused(server.api(), room, version)));
			}
			await().atMost(Duration.ofSeconds(30))
				.until(() -> acknowledged.values().stream().allMatch((version) -> version.get() >= 5));

			long started = System.nanoTime();
			int exit = server.terminate(SHUTDOWN_TIMEOUT);
			Duration took = Duration.ofNanos(System.nanoTime() - started);

			for (Future<?> writer : running) {
				writer.get(30, TimeUnit.SECONDS);
			}
			for (LiveClient.Session session : List.of(annLive, bobLive)) {
				StompHeaders notice = session.awaitError();
				assertThat(notice.getFirst("code")).isEqualTo("server-restarting");
				assertThat(notice.getFirst("message")).contains("reconnect");
				session.awaitDisconnected();
			}
			assertThat(exit).isEqualTo(EXIT_AFTER_SIGTERM);
			assertThat(took).isLessThan(SHUTDOWN_TIMEOUT);
			assertThat(server.output()).contains("Commencing graceful shutdown")
				.contains("Graceful shutdown complete")
				.contains("event=live-connections-closed connections=2 notified=2 stillOpen=0")
				.contains("event=store-closed store=file")
				.contains("flushed=true")
				.doesNotContain(" ERROR ")
				.doesNotContain("Exception");
		}
		finally {
			writers.shutdownNow();
		}

		try (ServerProcess restarted = ServerProcess.start(this.temp.resolve("restarted.log"),
				"rooms.store.dir=" + dir)) {
			ApiClient api = restarted.api();
			for (ApiClient.CreatedRoom room : rooms) {
				long acked = acknowledged.get(room.code()).get();
				JsonNode stored = api.get("/api/rooms/" + room.code(), room.ownerToken()).expectStatus(200).body();
				assertThat(stored.get("version").asLong()).as(room.code()).isGreaterThanOrEqualTo(acked);
				assertThat(stored.get("state").get("n").asLong()).isEqualTo(stored.get("version").asLong());
			}
			JsonNode summary = api.get("/api/rooms/" + quiet.code()).expectStatus(200).body();
			assertThat(Instant.parse(summary.get("expiresAt").asString()))
				.isEqualTo(deferredActivity.plus(Duration.ofHours(24)));
			JsonNode view = api.get("/api/rooms/" + quiet.code(), bob.token()).expectStatus(200).body();
			JsonNode annStored = view.get("members").get(0);
			assertThat(annStored.get("id").asString()).isEqualTo(ann.memberId());
			assertThat(annStored.get("metadata").get("seat").asInt()).isEqualTo(7);
			assertThat(view.get("members").findValuesAsString("name")).containsExactly("Ann", "Bob");
			assertThat(view.get("connectedCount").asInt()).isZero();
			try (LiveClient live = new LiveClient(restarted.port())) {
				live.connect(ann.token()).join(quiet.code());
			}
		}
	}

	/** Patches the room's state until the server stops answering; records each 200. */
	private static void writeUntilRefused(ApiClient api, ApiClient.CreatedRoom room, AtomicLong acknowledged) {
		for (long n = 1;; n++) {
			ApiClient.Response response;
			try {
				response = api.post("/api/rooms/" + room.code() + "/state", Map.of("patch", Map.of("n", n)),
						room.ownerToken());
			}
			catch (UncheckedIOException ex) {
				return;
			}
			if (response.status() != 200) {
				return;
			}
			acknowledged.set(response.body().get("version").asLong());
		}
	}

}
