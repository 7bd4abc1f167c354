package dev.roomkeeper.store.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.roomkeeper.store.file.FileStoreFaults.Step;
import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.Response;
import dev.roomkeeper.support.ExpectedErrorLogs;
import dev.roomkeeper.support.RunningApp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * I/O faults under the whole server, over REST: with an {@link IOException} injected at
 * the journal's write or force (once and persistently) a write answers {@code 503
 * store-unavailable} as problem+json, never 2xx; the server keeps serving and health says
 * {@code DOWN} until the fault clears; with a persistent fault at a room file's force,
 * the checkpoints fail (health says so) while writes go on. After a restart every
 * acknowledged room is back and no temp file is left.
 */
@ExpectedErrorLogs(value = { "dev.roomkeeper.store.file" }, because = "the test injects I/O faults")
class FileStoreFaultIntegrationTests {

	private static final String ADMIN_TOKEN = "fault-admin-token-for-tests";

	@TempDir
	Path dir;

	private String[] properties() {
		return new String[] { "rooms.store.type=file", "rooms.store.dir=" + this.dir,
				"rooms.store.checkpoint-interval=200ms", "rooms.admin-token=" + ADMIN_TOKEN };
	}

	@Test
	void ioFaultsThenNoFalseAcknowledgementServerStaysUpAndEveryAcknowledgedRoomSurvivesRestart() throws IOException {
		Map<String, CreatedRoom> acknowledged = new LinkedHashMap<>();
		try (RunningApp app = RunningApp.start(properties())) {
			ApiClient api = app.api();
			JsonFileRoomRepository repository = app.bean(JsonFileRoomRepository.class);
			CreatedRoom first = api.createRoom(Map.of("name", "Before the faults"));
			acknowledged.put(first.code(), first);
			for (Step step : List.of(Step.JOURNAL_WRITE, Step.JOURNAL_FORCE)) {
				for (boolean persistent : List.of(false, true)) {
					// No batch pending (a live or activity change) that could meet the
					// fault before the request does.
					repository.flush();
					InjectedFault fault = InjectedFault.of(step, persistent);
					repository.injectFaults(fault);

					expectStoreUnavailable(api.post("/api/rooms", Map.of("name", "Refused")));
					assertThat(fault.thrown()).as("%s hit", step).isPositive();
					if (persistent) {
						expectStoreUnavailable(api.patch("/api/rooms/" + first.code(),
								Map.of("settings", Map.of("refused", step.name())), first.ownerToken()));
						Response health = api.get("/actuator/health", ADMIN_TOKEN).expectStatus(503);
						assertThat(health.body()
							.get("components")
							.get("store")
							.get("details")
							.get("lastWriteError")
							.asString()).contains("Injected fault at " + step);
					}
					// The server never stopped serving.
					api.get("/api/rooms/" + first.code(), first.ownerToken()).expectStatus(200);
					fault.clear();

					CreatedRoom after = api.createRoom(Map.of("name", "After " + step + " persistent=" + persistent));
					acknowledged.put(after.code(), after);
					api.patch("/api/rooms/" + first.code(), Map.of("settings", Map.of("last", step + "/" + persistent)),
							first.ownerToken())
						.expectStatus(200);
					await().atMost(Duration.ofSeconds(10))
						.untilAsserted(() -> api.get("/actuator/health", ADMIN_TOKEN).expectStatus(200));
				}
			}

			// Checkpoints fail for good (room files cannot be forced); writes go on.
			InjectedFault fault = InjectedFault.persistent(Step.ROOM_FILE_FORCE);
			repository.injectFaults(fault);
			CreatedRoom during = api.createRoom(Map.of("name", "During failing checkpoints"));
			acknowledged.put(during.code(), during);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				Response health = api.get("/actuator/health", ADMIN_TOKEN).expectStatus(503);
				assertThat(health.body().get("components").get("store").get("details").get("lastWriteError").asString())
					.contains("room file");
			});
			api.patch("/api/rooms/" + first.code(), Map.of("settings", Map.of("last", "checkpoint fault")),
					first.ownerToken())
				.expectStatus(200);
			api.get("/api/rooms/" + during.code(), during.ownerToken()).expectStatus(200);
		}
		assertThat(tempFiles()).as("temp files the failed checkpoints left").isNotEmpty();

		try (RunningApp app = RunningApp.start(properties())) {
			ApiClient api = app.api();
			for (CreatedRoom room : acknowledged.values()) {
				api.get("/api/rooms/" + room.code(), room.ownerToken()).expectStatus(200);
			}
			JsonNode first = api
				.get("/api/rooms/" + acknowledged.keySet().iterator().next(),
						acknowledged.values().iterator().next().ownerToken())
				.body();
			assertThat(first.get("settings").get("last").asString()).isEqualTo("checkpoint fault");
			api.get("/actuator/health", ADMIN_TOKEN).expectStatus(200);
			// Left by the first run, removed at start-up; the start's own checkpoint
			// (of the replayed journal) writes and renames temp files of its own
			// meanwhile.
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(tempFiles()).isEmpty());
		}
	}

	private static void expectStoreUnavailable(Response response) {
		response.expectStatus(503);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.code()).isEqualTo("store-unavailable");
	}

	private List<String> tempFiles() throws IOException {
		try (Stream<Path> files = Files.list(this.dir)) {
			return files.map((file) -> file.getFileName().toString()).filter((name) -> name.endsWith(".tmp")).toList();
		}
	}

}
