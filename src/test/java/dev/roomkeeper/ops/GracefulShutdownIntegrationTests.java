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

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ServerProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM to the packaged server while clients write: it stops accepting, finishes what
 * it acknowledged, flushes the store and exits within the shutdown timeout; after a
 * restart everything it acknowledged is there, including changes it had only deferred.
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
	void sigtermWhileClientsWriteThenCleanExitAndEverythingAcknowledgedSurvives() throws Exception {
		Path dir = this.temp.resolve("rooms");
		List<ApiClient.CreatedRoom> rooms = new ArrayList<>();
		Map<String, AtomicLong> acknowledged = new ConcurrentHashMap<>();
		ApiClient.CreatedRoom quiet;
		Instant deferredActivity;
		ServerProcess server = ServerProcess.start(this.temp.resolve("server.log"), "rooms.store.dir=" + dir,
				"rooms.store.flush-interval=1h");
		ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
		try (server) {
			ApiClient api = server.api();
			quiet = api.createRoom(Map.of("name", "Quiet", "password", "pw-quiet"));
			ApiClient.JoinedMember ann = api.join(quiet.code(), Map.of("name", "Ann", "password", "pw-quiet"));
			// A look-up with a token records activity as a deferred change (like live
			// traffic):
			// with a flush interval of an hour, only the flush on shutdown can store it.
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
			assertThat(exit).isEqualTo(EXIT_AFTER_SIGTERM);
			assertThat(took).isLessThan(SHUTDOWN_TIMEOUT);
			assertThat(server.output()).contains("Commencing graceful shutdown")
				.contains("Graceful shutdown complete")
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
			api.join(quiet.code(), Map.of("name", "Bob", "password", "pw-quiet"));
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
