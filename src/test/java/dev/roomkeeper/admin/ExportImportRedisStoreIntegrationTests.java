package dev.roomkeeper.admin;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import tools.jackson.databind.JsonNode;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.RunningApp;
import dev.roomkeeper.support.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Export, wipe, import on the Redis store: every room, member and token is back and
 * works.
 */
class ExportImportRedisStoreIntegrationTests {

	private static final String ADMIN_TOKEN = "redis-store-admin-token-4e5f6a7b";

	private final String prefix = TestRedis.uniquePrefix(ExportImportRedisStoreIntegrationTests.class);

	@Test
	void exportWipeImportThenEveryRoomMemberAndTokenIsBack() {
		String export;
		ApiClient.CreatedRoom quiz;
		ApiClient.JoinedMember ann;
		ApiClient.JoinedMember bob;
		try (RunningApp server = start()) {
			ApiClient api = server.api();
			quiz = api.createRoom(Map.of("name", "Quiz", "password", "pw-quiz", "state", Map.of("round", 1)));
			ann = api.join(quiz.code(), Map.of("name", "Ann", "password", "pw-quiz"));
			bob = api.join(quiz.code(), Map.of("name", "Bob", "ownerToken", quiz.ownerToken()));
			api.post("/api/rooms/" + quiz.code() + "/state", Map.of("patch", Map.of("round", 2)), ann.token())
				.expectStatus(200);
			api.createRoom(Map.of("name", "Spare"));
			export = api.get("/api/admin/export", ADMIN_TOKEN).expectStatus(200).raw();
		}
		assertThat(export.lines()).hasSize(2);

		LettuceConnectionFactory redis = TestRedis.connectionFactory();
		try {
			TestRedis.deleteKeys(redis, this.prefix);
		}
		finally {
			redis.destroy();
		}

		try (RunningApp server = start()) {
			ApiClient api = server.api();
			api.get("/api/rooms/" + quiz.code()).expectStatus(404);
			JsonNode report = api.sendRaw("POST", "/api/admin/import", "application/x-ndjson", export, ADMIN_TOKEN)
				.expectStatus(200)
				.body();
			assertThat(report.get("imported").asInt()).isEqualTo(2);
			assertThat(report.get("errors")).isEmpty();
			assertStats(api, 2, 2);

			assertThat(lines(api.get("/api/admin/export", ADMIN_TOKEN).expectStatus(200).raw()))
				.isEqualTo(lines(export));
			JsonNode room = api.get("/api/rooms/" + quiz.code(), ann.token()).expectStatus(200).body();
			assertThat(room.get("version").asInt()).isEqualTo(1);
			assertThat(room.get("state").get("round").asInt()).isEqualTo(2);
			assertThat(room.get("members").findValuesAsString("id")).containsExactly(ann.memberId(), bob.memberId());
			api.patch("/api/rooms/" + quiz.code(), Map.of("name", "Quiz 2"), bob.token()).expectStatus(200);
			api.post("/api/rooms/" + quiz.code() + "/keep-alive", null, quiz.ownerToken()).expectStatus(204);
			api.join(quiz.code(), Map.of("name", "Cy", "password", "pw-quiz"));
			assertStats(api, 2, 3);
		}
		finally {
			LettuceConnectionFactory cleanup = TestRedis.connectionFactory();
			try {
				TestRedis.deleteKeys(cleanup, this.prefix);
			}
			finally {
				cleanup.destroy();
			}
		}
	}

	private static void assertStats(ApiClient api, int rooms, int members) {
		JsonNode stats = api.get("/api/admin/stats", ADMIN_TOKEN).expectStatus(200).body();
		assertThat(stats.get("rooms").asInt()).as("rooms").isEqualTo(rooms);
		assertThat(stats.get("members").asInt()).as("members").isEqualTo(members);
	}

	private RunningApp start() {
		return RunningApp.start("rooms.store.type=redis", "spring.data.redis.url=" + TestRedis.url(),
				"rooms.store.redis.key-prefix=" + this.prefix, "rooms.admin-token=" + ADMIN_TOKEN);
	}

	/**
	 * The export's lines, with the history epoch masked: an import gives rooms a new one.
	 */
	private static Set<String> lines(String text) {
		return text.lines().map(AdminApiIntegrationTests::maskEpoch).collect(Collectors.toSet());
	}

}
