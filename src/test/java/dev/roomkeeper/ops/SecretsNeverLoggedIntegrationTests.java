package dev.roomkeeper.ops;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.roomkeeper.support.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session that uses every kind of secret, right and wrong, through every door (REST,
 * admin API, import), then greps the captured log for the plaintexts: none may appear.
 * Shares the admin API tests' server (same properties).
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "rooms.store.type=memory", "rooms.admin-token=" + SecretsNeverLoggedIntegrationTests.ADMIN_TOKEN,
				"rooms.limits.failed-joins-per-minute=1000" })
class SecretsNeverLoggedIntegrationTests {

	/** The admin API tests' token, so both classes share one server. */
	static final String ADMIN_TOKEN = "test-admin-token-7f3a9c1e5b2d4680";

	private static final String PASSWORD = "pw-Plaintext-91f2c";

	private static final String NEW_PASSWORD = "pw-Changed-5b7e0";

	private static final String WRONG_PASSWORD = "pw-Wrong-3d8a1";

	private static final String WRONG_TOKEN_SECRET = "wrongTokenSecret-4e9b2";

	private static final String WRONG_ADMIN_TOKEN = "wrong-admin-token-8c6f3";

	@LocalServerPort
	int port;

	@Test
	void noTokenOrPasswordEverAppearsInTheLog(CapturedOutput output) {
		ApiClient api = new ApiClient(this.port);
		ApiClient.CreatedRoom room = api.createRoom(Map.of("name", "Secrets", "password", PASSWORD));
		String code = room.code();
		assertThat(
				api.post("/api/rooms/" + code + "/members", Map.of("name", "Eve", "password", WRONG_PASSWORD)).code())
			.isEqualTo("wrong-password");
		ApiClient.JoinedMember ann = api.join(code, Map.of("name", "Ann", "password", PASSWORD));
		ApiClient.JoinedMember owner = api.join(code, Map.of("name", "Olga", "ownerToken", room.ownerToken()));
		String wrongToken = code + "." + WRONG_TOKEN_SECRET;
		assertThat(api.get("/api/rooms/" + code, wrongToken).status()).isEqualTo(401);
		assertThat(api.post("/api/rooms/" + code + "/state", Map.of("patch", Map.of("a", 1)), wrongToken).status())
			.isEqualTo(401);
		assertThat(
				api.post("/api/rooms/" + code + "/members", Map.of("name", "Mal", "ownerToken", wrongToken)).status())
			.isEqualTo(401);
		api.sendRaw("POST", "/api/rooms/" + code + "/members", "application/json",
				"{\"name\":\"Bad\",\"password\":\"" + PASSWORD, null)
			.expectStatus(400);
		api.post("/api/rooms/" + code + "/state", Map.of("patch", Map.of("a", 1)), ann.token()).expectStatus(200);
		api.patch("/api/rooms/" + code, Map.of("password", NEW_PASSWORD), room.ownerToken()).expectStatus(200);
		api.get("/api/rooms/" + code, owner.token()).expectStatus(200);

		assertThat(api.get("/api/admin/stats", WRONG_ADMIN_TOKEN).status()).isEqualTo(401);
		String export = api.get("/api/admin/export", ADMIN_TOKEN).expectStatus(200).raw();
		String leakyImport = "{\"code\":\"LEAKY\",\"name\":\"x\",\"ownerTokenHash\":\"" + room.ownerToken()
				+ "\",\"passwordHash\":\"" + PASSWORD + "\"}\n" + "{\"" + ann.token() + "\":1}\n" + export;
		String report = api.sendRaw("POST", "/api/admin/import", "application/x-ndjson", leakyImport, ADMIN_TOKEN)
			.expectStatus(200)
			.raw();
		api.delete("/api/rooms/" + code + "/members/" + ann.memberId(), ann.token()).expectStatus(204);
		api.delete("/api/rooms/" + code, room.ownerToken()).expectStatus(204);

		List<String> secrets = List.of(room.ownerToken(), ann.token(), owner.token(), PASSWORD, NEW_PASSWORD,
				WRONG_PASSWORD, WRONG_TOKEN_SECRET, ADMIN_TOKEN, WRONG_ADMIN_TOKEN);
		for (String secret : secrets) {
			assertThat(output.getAll()).as("the log").doesNotContain(secret);
			assertThat(report).as("the import report").doesNotContain(secret);
		}
		// The log did capture the session, so its absence of secrets means something.
		assertThat(output.getAll()).contains("event=room-created room=" + code)
			.contains("event=room-closed room=" + code + " reason=owner")
			.contains("event=rooms-imported");
	}

}
