package dev.roomkeeper.admin;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.RunningApp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Moving rooms between servers on the file store: export from one, import into another
 * with an empty directory, restart that one; every room, member and token is back.
 */
class ExportImportFileStoreIntegrationTests {

	private static final String ADMIN_TOKEN = "file-store-admin-token-0a1b2c3d";

	@TempDir
	Path temp;

	@Test
	void exportFromOneServerImportIntoAnotherThenRestartKeepsEveryRoomMemberAndToken() {
		String export;
		ApiClient.CreatedRoom quiz;
		ApiClient.JoinedMember ann;
		ApiClient.JoinedMember bob;
		try (RunningApp source = start("source")) {
			ApiClient api = source.api();
			quiz = api.createRoom(Map.of("name", "Quiz", "password", "pw-quiz", "state", Map.of("round", 1)));
			ann = api.join(quiz.code(), Map.of("name", "Ann", "password", "pw-quiz"));
			bob = api.join(quiz.code(), Map.of("name", "Bob", "ownerToken", quiz.ownerToken()));
			api.post("/api/rooms/" + quiz.code() + "/state", Map.of("patch", Map.of("round", 2)), ann.token())
				.expectStatus(200);
			for (int i = 0; i < 3; i++) {
				api.createRoom(Map.of("name", "Spare " + i));
			}
			export = api.get("/api/admin/export", ADMIN_TOKEN).expectStatus(200).raw();
		}
		assertThat(export.lines()).hasSize(4);

		try (RunningApp target = start("target")) {
			JsonNode report = target.api()
				.sendRaw("POST", "/api/admin/import", "application/x-ndjson", export, ADMIN_TOKEN)
				.expectStatus(200)
				.body();
			assertThat(report.get("imported").asInt()).isEqualTo(4);
			assertThat(report.get("errors")).isEmpty();
			assertStats(target.api(), 4, 2);
		}

		try (RunningApp restarted = start("target")) {
			ApiClient api = restarted.api();
			assertStats(api, 4, 2);
			String again = api.get("/api/admin/export", ADMIN_TOKEN).expectStatus(200).raw();
			assertThat(lines(again)).isEqualTo(lines(export));
			JsonNode room = api.get("/api/rooms/" + quiz.code(), ann.token()).expectStatus(200).body();
			assertThat(room.get("version").asInt()).isEqualTo(1);
			assertThat(room.get("seq").asInt()).isEqualTo(3);
			assertThat(room.get("state").get("round").asInt()).isEqualTo(2);
			assertThat(room.get("members").findValuesAsString("id")).containsExactly(ann.memberId(), bob.memberId());
			api.patch("/api/rooms/" + quiz.code(), Map.of("name", "Quiz 2"), bob.token()).expectStatus(200);
			api.post("/api/rooms/" + quiz.code() + "/keep-alive", null, quiz.ownerToken()).expectStatus(204);
			api.join(quiz.code(), Map.of("name", "Cy", "password", "pw-quiz"));
			assertStats(api, 4, 3);
		}
	}

	/** The counts of the stats, which the store keeps as rooms change. */
	private static void assertStats(ApiClient api, int rooms, int members) {
		JsonNode stats = api.get("/api/admin/stats", ADMIN_TOKEN).expectStatus(200).body();
		assertThat(stats.get("rooms").asInt()).as("rooms").isEqualTo(rooms);
		assertThat(stats.get("members").asInt()).as("members").isEqualTo(members);
	}

	private RunningApp start(String name) {
		return RunningApp.start("rooms.store.type=file", "rooms.store.dir=" + this.temp.resolve(name),
				"rooms.admin-token=" + ADMIN_TOKEN);
	}

	/**
	 * The export's lines, with the history epoch masked: an import gives rooms a new one.
	 */
	private static Set<String> lines(String text) {
		return text.lines().map(AdminApiIntegrationTests::maskEpoch).collect(Collectors.toSet());
	}

}
