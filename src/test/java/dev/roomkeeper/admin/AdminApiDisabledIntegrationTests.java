package dev.roomkeeper.admin;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.roomkeeper.support.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Without {@code rooms.admin-token} the admin API does not exist: 404 for everything. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "rooms.store.type=memory")
class AdminApiDisabledIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void adminApiWithoutAdminTokenSetThenNotFoundForEveryRequest() {
		ApiClient api = new ApiClient(this.port);
		ApiClient.CreatedRoom room = api.createRoom();
		List<ApiClient.Response> responses = List.of(api.get("/api/admin/stats"), api.get("/api/admin/stats", "guess"),
				api.get("/api/admin/export", room.ownerToken()), api.get("/api/admin/history"),
				api.delete("/api/admin/rooms/" + room.code(), "guess"),
				api.sendRaw("POST", "/api/admin/import", "application/x-ndjson", "{}", "guess"),
				api.sendRaw("PUT", "/api/admin/stats", "application/json", "{}", null));
		assertThat(responses).allSatisfy((response) -> {
			assertThat(response.status()).isEqualTo(404);
			assertThat(response.code()).isEqualTo("not-found");
			assertThat(response.contentType()).startsWith("application/problem+json");
		});
		api.get("/api/rooms/" + room.code()).expectStatus(200);
	}

	@Test
	void healthWithoutAnAdminTokenShowsTheStatusOnly() {
		tools.jackson.databind.JsonNode health = new ApiClient(this.port).get("/actuator/health", "any-token")
			.expectStatus(200)
			.body();
		assertThat(health.get("status").asString()).isEqualTo("UP");
		assertThat(health.has("components")).isFalse();
	}

}
