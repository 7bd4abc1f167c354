package dev.roomkeeper.store.file;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.ExpectedErrorLogs;
import dev.roomkeeper.support.RunningApp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The file store across a restart of the whole application: everything acknowledged comes
 * back and the old tokens and passwords still work.
 */
class FileStoreRestartIntegrationTests {

	@TempDir
	Path dir;

	private String[] properties() {
		return new String[] { "rooms.store.type=file", "rooms.store.dir=" + this.dir };
	}

	@Test
	void restartWhenFileStoreThenRoomsMembersTokensAndStateSurvive() {
		CreatedRoom quiz;
		CreatedRoom other;
		JoinedMember ann;
		JoinedMember bob;
		try (RunningApp app = RunningApp.start(properties())) {
			ApiClient api = app.api();
			quiz = api.createRoom(Map.of("name", "Quiz", "password", "pw", "maxMembers", 5, "listed", true, "settings",
					Map.of("rounds", 3), "state", Map.of("round", 1)));
			other = api.createRoom(Map.of("code", "other-room"));
			ann = api.join(quiz.code(), Map.of("name", "Ann", "password", "pw", "metadata", Map.of("color", "red")));
			bob = api.join(quiz.code(), Map.of("name", "Bob", "password", "pw"));
			api.post("/api/rooms/" + quiz.code() + "/state", Map.of("patch", Map.of("round", 2)), ann.token())
				.expectStatus(200);
			api.post("/api/rooms/" + quiz.code() + "/state", Map.of("patch", Map.of("scores", Map.of("ann", 3))),
					bob.token())
				.expectStatus(200);
			api.patch("/api/rooms/" + quiz.code(), Map.of("locked", true, "settings", Map.of("theme", "dark")),
					quiz.ownerToken())
				.expectStatus(200);
		}

		try (RunningApp app = RunningApp.start(properties())) {
			ApiClient api = app.api();
			JsonNode room = api.get("/api/rooms/" + quiz.code(), ann.token()).expectStatus(200).body();
			assertThat(room.get("name").asString()).isEqualTo("Quiz");
			assertThat(room.get("hasPassword").asBoolean()).isTrue();
			assertThat(room.get("locked").asBoolean()).isTrue();
			assertThat(room.get("maxMembers").asInt()).isEqualTo(5);
			assertThat(room.get("settings").toString()).isEqualTo("{\"rounds\":3,\"theme\":\"dark\"}");
			assertThat(room.get("state").toString()).isEqualTo("{\"round\":2,\"scores\":{\"ann\":3}}");
			assertThat(room.get("version").asLong()).isEqualTo(2);
			assertThat(room.get("seq").asLong()).isEqualTo(5);
			assertThat(room.get("members").findValuesAsString("name")).containsExactly("Ann", "Bob");
			assertThat(room.get("members").findValuesAsString("id")).containsExactly(ann.memberId(), bob.memberId());
			assertThat(room.get("members").get(0).get("metadata").get("color").asString()).isEqualTo("red");
			assertThat(room.get("members").findValues("connected")).allMatch((connected) -> !connected.asBoolean());

			api.post("/api/rooms/" + quiz.code() + "/state", Map.of("patch", Map.of("round", 3), "baseVersion", 2),
					bob.token())
				.expectStatus(200);
			api.patch("/api/rooms/" + quiz.code(), Map.of("locked", false), quiz.ownerToken()).expectStatus(200);
			assertThat(
					api.post("/api/rooms/" + quiz.code() + "/members", Map.of("name", "Cid", "password", "no")).code())
				.isEqualTo("wrong-password");
			api.join(quiz.code(), Map.of("name", "Cid", "password", "pw"));
			api.get("/api/rooms/" + other.code(), other.ownerToken()).expectStatus(200);
			assertThat(api.get("/api/rooms").body().get("rooms").findValuesAsString("code"))
				.doesNotContain(quiz.code());
			api.patch("/api/rooms/" + quiz.code(), "{\"password\": null}", quiz.ownerToken()).expectStatus(200);
			assertThat(api.get("/api/rooms").body().get("rooms").findValuesAsString("code")).contains(quiz.code());
		}
	}

	@Test
	@ExpectedErrorLogs(value = { "org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter",
			"org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext",
			"org.springframework.boot.tomcat.servlet.DeferredServletContainerInitializers",
			"org.springframework.boot.autoconfigure.logging.ConditionEvaluationReportLogger" },
			because = "a second server on the same store directory fails to start (APPLICATION FAILED TO START)")
	void startWhenAnotherInstanceUsesTheDirectoryThenStartupIsRefused() {
		try (RunningApp app = RunningApp.start(properties())) {
			assertThatThrownBy(() -> RunningApp.start(properties()))
				.hasStackTraceContaining("Another Roomkeeper process is using the store directory");
			app.api().createRoom();
		}
	}

}
