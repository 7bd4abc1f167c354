package dev.roomkeeper.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.room.RoomService;
import dev.roomkeeper.room.event.PublishedEvent;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.room.event.RoomEventListener;
import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.LiveClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API over real HTTP on the memory store: access, stats, closing, history,
 * export and import.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "rooms.store.type=memory",
		"rooms.admin-token=" + AdminApiIntegrationTests.ADMIN_TOKEN, "rooms.limits.failed-joins-per-minute=1000" })
class AdminApiIntegrationTests {

	static final String ADMIN_TOKEN = "test-admin-token-7f3a9c1e5b2d4680";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	RoomService rooms;

	@Autowired
	RoomRepository repository;

	@Autowired
	RoomEventBus eventBus;

	private ApiClient api;

	private final List<PublishedEvent> events = new CopyOnWriteArrayList<>();

	private final RoomEventListener recorder = this.events::add;

	@BeforeEach
	void setUp() {
		this.api = new ApiClient(this.port);
		this.repository.findAll().forEach((room) -> this.rooms.close(room.code(), "admin"));
		this.eventBus.addListener(this.recorder);
	}

	@AfterEach
	void tearDown() {
		this.eventBus.removeListener(this.recorder);
	}

	@Test
	void adminApiWithoutTokenThenUnauthorized() {
		for (String path : List.of("/api/admin/stats", "/api/admin/export", "/api/admin/history")) {
			ApiClient.Response response = this.api.get(path);
			assertThat(response.status()).as(path).isEqualTo(401);
			assertThat(response.code()).isEqualTo("unauthorized");
			assertThat(response.contentType()).startsWith("application/problem+json");
			assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
		}
		assertThat(this.api.delete("/api/admin/rooms/ABC234", null).code()).isEqualTo("unauthorized");
		assertThat(this.api.sendRaw("POST", "/api/admin/import", "application/x-ndjson", "", null).code())
			.isEqualTo("unauthorized");
	}

	@Test
	void adminApiWithWrongTokenThenUnauthorized() {
		for (String token : List.of("wrong", ADMIN_TOKEN + "x", ADMIN_TOKEN.substring(1), ADMIN_TOKEN.toUpperCase())) {
			ApiClient.Response response = this.api.get("/api/admin/stats", token);
			assertThat(response.status()).isEqualTo(401);
			assertThat(response.code()).isEqualTo("unauthorized");
		}
		ApiClient.CreatedRoom room = this.api.createRoom();
		assertThat(this.api.get("/api/admin/stats", room.ownerToken()).status()).isEqualTo(401);
	}

	@Test
	void adminPathWrittenWithEncodedCharactersStillNeedsToken() {
		assertThat(this.api.get("/api/%61dmin/stats").status()).isEqualTo(401);
		assertThat(this.api.get("/api/admin/%73tats").status()).isEqualTo(401);
		assertThat(this.api.get("/api/admin;x=y/stats").status()).isIn(400, 401);
	}

	@Test
	void unknownAdminPathWithTokenThenNotFound() {
		ApiClient.Response response = this.api.get("/api/admin/nothing-here", ADMIN_TOKEN);
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.code()).isEqualTo("not-found");
	}

	@Test
	void statsListsOpenRoomsMostRecentlyActiveFirst() {
		ApiClient.CreatedRoom first = this.api.createRoom(Map.of("name", "First"));
		ApiClient.CreatedRoom second = this.api.createRoom(Map.of("name", "Second"));
		ApiClient.CreatedRoom third = this.api.createRoom(Map.of("name", "Third"));
		this.api.join(first.code(), "Ann");
		this.api.join(first.code(), "Bob");
		this.api.join(third.code(), "Cy");
		this.api.post("/api/rooms/" + second.code() + "/keep-alive", null, second.ownerToken()).expectStatus(204);

		JsonNode stats = this.api.get("/api/admin/stats", ADMIN_TOKEN).expectStatus(200).body();
		assertThat(stats.get("rooms").asInt()).isEqualTo(3);
		assertThat(stats.get("maxRooms").asInt()).isEqualTo(10000);
		assertThat(stats.get("members").asInt()).isEqualTo(3);
		assertThat(stats.get("connections").asInt()).isZero();
		assertThat(stats.get("store").asString()).isEqualTo("memory");
		assertThat(stats.get("idleTimeoutSeconds").asLong()).isEqualTo(86400);
		assertThat(codes(stats)).containsExactly(second.code(), third.code(), first.code());

		JsonNode firstEntry = stats.get("list").get(2);
		assertThat(fieldNames(firstEntry)).containsExactly("code", "name", "members", "connections", "createdAt",
				"lastActivityAt", "inactiveSeconds", "expiresInSeconds");
		assertThat(firstEntry.get("name").asString()).isEqualTo("First");
		assertThat(firstEntry.get("members").asInt()).isEqualTo(2);
		assertThat(firstEntry.get("connections").asInt()).isZero();
		assertThat(firstEntry.get("inactiveSeconds").asLong()).isBetween(0L, 60L);
		assertThat(firstEntry.get("expiresInSeconds").asLong()).isBetween(86400L - 60, 86400L);
	}

	@Test
	void statsPagesWithLimitAndOffset() {
		List<String> created = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			created.add(0, this.api.createRoom().code());
		}
		JsonNode page = this.api.get("/api/admin/stats?limit=2&offset=1", ADMIN_TOKEN).expectStatus(200).body();
		assertThat(page.get("rooms").asInt()).isEqualTo(5);
		assertThat(codes(page)).containsExactly(created.get(1), created.get(2));
		JsonNode last = this.api.get("/api/admin/stats?limit=2&offset=4", ADMIN_TOKEN).expectStatus(200).body();
		assertThat(codes(last)).containsExactly(created.get(4));
		JsonNode beyond = this.api.get("/api/admin/stats?offset=50", ADMIN_TOKEN).expectStatus(200).body();
		assertThat(codes(beyond)).isEmpty();
	}

	@Test
	void statsWithBadPagingThenInvalidRequestNamingTheFields() {
		ApiClient.Response response = this.api.get("/api/admin/stats?limit=0&offset=-1", ADMIN_TOKEN);
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.code()).isEqualTo("invalid-request");
		assertThat(response.body().get("errors").findValuesAsString("field")).containsExactlyInAnyOrder("limit",
				"offset");
		assertThat(this.api.get("/api/admin/stats?limit=501", ADMIN_TOKEN).code()).isEqualTo("invalid-request");
		assertThat(this.api.get("/api/admin/stats?limit=ten", ADMIN_TOKEN).code()).isEqualTo("invalid-request");
	}

	@Test
	void closeByAdminSendsClosedAdminThenRoomIsGone() {
		ApiClient.CreatedRoom room = this.api.createRoom();
		ApiClient.JoinedMember member = this.api.join(room.code(), "Ann");

		ApiClient.Response closed = this.api.delete("/api/admin/rooms/" + room.code().toLowerCase(), ADMIN_TOKEN);

		assertThat(closed.status()).isEqualTo(204);
		PublishedEvent event = this.events.stream().filter(PublishedEvent::isClosed).findFirst().orElseThrow();
		assertThat(event.room()).isEqualTo(room.code());
		assertThat(JSON.readTree(event.json()).get("reason").asString()).isEqualTo("admin");
		assertThat(event.seq()).isEqualTo(2);
		assertThat(this.api.get("/api/rooms/" + room.code(), member.token()).code()).isEqualTo("room-not-found");
		assertThat(this.api.delete("/api/admin/rooms/" + room.code(), ADMIN_TOKEN).code()).isEqualTo("room-not-found");
		assertThat(this.api.delete("/api/admin/rooms/not%20a%20code", ADMIN_TOKEN).code()).isEqualTo("room-not-found");
	}

	@Test
	void statsCountLiveConnectionsAndAdminCloseReachesConnectedMembers() {
		ApiClient.CreatedRoom room = this.api.createRoom();
		ApiClient.CreatedRoom other = this.api.createRoom();
		ApiClient.JoinedMember ann = this.api.join(room.code(), "Ann");
		try (LiveClient live = new LiveClient(this.port)) {
			LiveClient.Session first = live.connect(ann.token());
			LiveClient.Session second = live.connect(ann.token());
			first.join(room.code());
			second.join(room.code());

			JsonNode stats = this.api.get("/api/admin/stats", ADMIN_TOKEN).expectStatus(200).body();
			assertThat(stats.get("connections").asInt()).isEqualTo(2);
			JsonNode entries = stats.get("list");
			for (JsonNode entry : entries) {
				int expected = entry.get("code").asString().equals(room.code()) ? 2 : 0;
				assertThat(entry.get("connections").asInt()).as(entry.get("code").asString()).isEqualTo(expected);
			}
			assertThat(codes(stats)).contains(other.code());
			JsonNode history = this.api.get("/api/admin/history", ADMIN_TOKEN).body().get("points");
			assertThat(history.get(history.size() - 1).get("connections").asInt()).isEqualTo(2);

			this.api.delete("/api/admin/rooms/" + room.code(), ADMIN_TOKEN).expectStatus(204);

			for (LiveClient.Session session : List.of(first, second)) {
				LiveClient.Received closed = session.awaitRoom("closed");
				assertThat(closed.body().get("reason").asString()).isEqualTo("admin");
				session.awaitDisconnected();
			}
		}
	}

	@Test
	void historyHasLastHourEndingWithPointForNow() {
		this.api.createRoom();
		this.api.createRoom();
		JsonNode history = this.api.get("/api/admin/history", ADMIN_TOKEN).expectStatus(200).body();
		assertThat(history.get("intervalSeconds").asInt()).isEqualTo(60);
		JsonNode points = history.get("points");
		assertThat(points.size()).isBetween(1, 62);
		JsonNode now = points.get(points.size() - 1);
		assertThat(now.get("rooms").asInt()).isEqualTo(2);
		assertThat(now.get("connections").asInt()).isZero();
		assertThat(now.get("at").asString()).isNotBlank();
	}

	@Test
	void exportWipeImportRestoresEveryRoomMemberAndToken() {
		ApiClient.CreatedRoom quiz = this.api.createRoom(Map.of("name", "Quiz night", "password", "s3cret-pass",
				"maxMembers", 8, "listed", true, "settings", Map.of("rounds", 5), "state", Map.of("round", 1)));
		ApiClient.JoinedMember ann = this.api.join(quiz.code(),
				Map.of("name", "Ann", "password", "s3cret-pass", "metadata", Map.of("color", "red")));
		ApiClient.JoinedMember owner = this.api.join(quiz.code(),
				Map.of("name", "Olga", "ownerToken", quiz.ownerToken()));
		this.api.post("/api/rooms/" + quiz.code() + "/state", Map.of("patch", Map.of("round", 2)), ann.token())
			.expectStatus(200);
		ApiClient.CreatedRoom karaoke = this.api.createRoom(Map.of("code", "karaoke-42"));
		ApiClient.JoinedMember bob = this.api.join(karaoke.code(), "Bob");
		String before = this.api.get("/api/admin/export", ADMIN_TOKEN).expectStatus(200).raw();

		assertThat(before.lines()).hasSize(2);
		for (String secret : List.of(quiz.ownerToken(), ann.token(), owner.token(), bob.token(), "s3cret-pass")) {
			assertThat(before).doesNotContain(secret);
		}
		this.api.delete("/api/admin/rooms/" + quiz.code(), ADMIN_TOKEN).expectStatus(204);
		this.api.delete("/api/admin/rooms/" + karaoke.code(), ADMIN_TOKEN).expectStatus(204);
		assertThat(this.api.get("/api/admin/stats", ADMIN_TOKEN).body().get("rooms").asInt()).isZero();

		JsonNode report = this.api.sendRaw("POST", "/api/admin/import", "application/x-ndjson", before, ADMIN_TOKEN)
			.expectStatus(200)
			.body();

		assertThat(report.get("imported").asInt()).isEqualTo(2);
		assertThat(report.get("existing")).isEmpty();
		assertThat(report.get("errors")).isEmpty();
		JsonNode stats = this.api.get("/api/admin/stats", ADMIN_TOKEN).expectStatus(200).body();
		assertThat(stats.get("rooms").asInt()).isEqualTo(2);
		assertThat(stats.get("members").asInt()).isEqualTo(3);
		String after = this.api.get("/api/admin/export", ADMIN_TOKEN).expectStatus(200).raw();
		// Exactly as exported, but under a new history epoch (an import cannot vouch for
		// the
		// history: clients resuming from before get a snapshot).
		assertThat(after.lines().map(AdminApiIntegrationTests::maskEpoch).collect(Collectors.toSet()))
			.isEqualTo(before.lines().map(AdminApiIntegrationTests::maskEpoch).collect(Collectors.toSet()));
		assertThat(after.lines().collect(Collectors.toSet())).doesNotContainAnyElementsOf(before.lines().toList());

		JsonNode room = this.api.get("/api/rooms/" + quiz.code(), ann.token()).expectStatus(200).body();
		assertThat(room.get("version").asInt()).isEqualTo(1);
		assertThat(room.get("state").get("round").asInt()).isEqualTo(2);
		assertThat(room.get("settings").get("rounds").asInt()).isEqualTo(5);
		assertThat(room.get("members").findValuesAsString("name")).containsExactly("Ann", "Olga");
		assertThat(room.get("members").get(0).get("id").asString()).isEqualTo(ann.memberId());
		assertThat(room.get("members").get(0).get("metadata").get("color").asString()).isEqualTo("red");
		assertThat(room.get("members").get(1).get("role").asString()).isEqualTo("owner");
		this.api
			.post("/api/rooms/" + quiz.code() + "/state", Map.of("patch", Map.of("round", 3), "baseVersion", 1),
					owner.token())
			.expectStatus(200);
		this.api.patch("/api/rooms/" + quiz.code(), Map.of("locked", false), quiz.ownerToken()).expectStatus(200);
		this.api.post("/api/rooms/" + karaoke.code() + "/keep-alive", null, bob.token()).expectStatus(204);
		assertThat(this.api.post("/api/rooms/" + quiz.code() + "/members", Map.of("name", "Eve", "password", "nope"))
			.code()).isEqualTo("wrong-password");
		this.api.join(quiz.code(), Map.of("name", "Eve", "password", "s3cret-pass"));
		assertThat(this.api.get("/api/admin/stats", ADMIN_TOKEN).body().get("members").asInt()).isEqualTo(4);
	}

	@Test
	void importReportsBadLinesByNumberKeepsGoodOnesAndNeverOverwrites() {
		ApiClient.CreatedRoom kept = this.api.createRoom(Map.of("state", Map.of("mine", true)));
		ApiClient.CreatedRoom moved = this.api.createRoom(Map.of("name", "Moved"));
		String keptLine = exportLine(kept.code());
		String movedLine = exportLine(moved.code());
		this.api.delete("/api/admin/rooms/" + moved.code(), ADMIN_TOKEN).expectStatus(204);
		ObjectNode overwriteAttempt = (ObjectNode) JSON.readTree(keptLine);
		overwriteAttempt.putObject("state").put("mine", false);

		String body = String.join("\n", JSON.writeValueAsString(overwriteAttempt), "this is not json", "{}", "",
				"{\"code\":\"BAD\",\"ownerTokenHash\":\"" + kept.ownerToken() + "\"}", movedLine) + "\n";
		JsonNode report = this.api.sendRaw("POST", "/api/admin/import", "application/x-ndjson", body, ADMIN_TOKEN)
			.expectStatus(200)
			.body();

		assertThat(report.get("imported").asInt()).isEqualTo(1);
		assertThat(report.get("existing").get(0).get("line").asInt()).isEqualTo(1);
		assertThat(report.get("existing").get(0).get("code").asString()).isEqualTo(kept.code());
		assertThat(report.get("errors").findValues("line").stream().map(JsonNode::asInt)).containsExactly(2, 3, 5);
		assertThat(report.get("errors").get(0).get("message").asString()).isEqualTo("not valid JSON");
		assertThat(report.toString()).doesNotContain(kept.ownerToken());
		JsonNode keptRoom = this.api.get("/api/rooms/" + kept.code(), kept.ownerToken()).expectStatus(200).body();
		assertThat(keptRoom.get("state").get("mine").asBoolean()).isTrue();
		this.api.get("/api/rooms/" + moved.code(), moved.ownerToken()).expectStatus(200);
	}

	@Test
	void importOfExportLargerThanRequestBodyLimitIsStreamed() {
		StringBuilder body = new StringBuilder();
		String filler = "x".repeat(20_000);
		for (int i = 0; i < 30; i++) {
			ApiClient.CreatedRoom room = this.api.createRoom(Map.of("state", Map.of("filler", filler)));
			body.append(exportLine(room.code())).append('\n');
			this.rooms.close(room.code(), "admin");
		}
		assertThat(body.length()).isGreaterThan(262144 + 65536);

		JsonNode report = this.api
			.sendRaw("POST", "/api/admin/import", "application/x-ndjson", body.toString(), ADMIN_TOKEN)
			.expectStatus(200)
			.body();

		assertThat(report.get("imported").asInt()).isEqualTo(30);
		assertThat(report.get("errors")).isEmpty();
	}

	@Test
	void importSentWithCurlsDefaultFormContentTypeStillReadsTheBody() {
		ApiClient.CreatedRoom room = this.api.createRoom();
		String line = exportLine(room.code());
		this.api.delete("/api/admin/rooms/" + room.code(), ADMIN_TOKEN).expectStatus(204);

		JsonNode report = this.api
			.sendRaw("POST", "/api/admin/import", "application/x-www-form-urlencoded", line, ADMIN_TOKEN)
			.expectStatus(200)
			.body();

		assertThat(report.get("imported").asInt()).isEqualTo(1);
		this.api.get("/api/rooms/" + room.code(), room.ownerToken()).expectStatus(200);
	}

	@Test
	void exportWalksMoreRoomsThanOnePageEachOnce() {
		Set<String> created = new java.util.HashSet<>();
		for (int i = 0; i < RoomArchive.EXPORT_PAGE_SIZE * 2 + 5; i++) {
			created.add(this.api.createRoom().code());
		}
		ApiClient.Response export = this.api.get("/api/admin/export", ADMIN_TOKEN).expectStatus(200);
		assertThat(export.contentType()).startsWith("application/x-ndjson");
		assertThat(export.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment;")
			.contains(".ndjson");
		List<String> codes = export.raw().lines().map((line) -> JSON.readTree(line).get("code").asString()).toList();
		assertThat(codes).hasSize(created.size()).containsExactlyInAnyOrderElementsOf(created);
	}

	@Test
	void adminPageIsServedWithLockedDownHeaders() {
		for (String path : List.of("/admin", "/admin/")) {
			ApiClient.Response page = this.api.get(path);
			assertThat(page.status()).isEqualTo(200);
			assertThat(page.contentType()).startsWith("text/html");
			assertThat(page.raw()).contains("<title>Roomkeeper admin</title>").contains("/admin/admin.js");
			assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
				.contains("default-src 'self'")
				.contains("frame-ancestors 'none'");
		}
		ApiClient.Response script = this.api.get("/admin/admin.js");
		assertThat(script.status()).isEqualTo(200);
		assertThat(script.contentType()).contains("javascript");
		// Nothing is loaded from elsewhere: the only URL is the SVG namespace.
		assertThat(script.raw().replace("http://www.w3.org/2000/svg", "")).contains("sessionStorage")
			.doesNotContain("http://")
			.doesNotContain("https://");
		assertThat(this.api.get("/admin/admin.css").status()).isEqualTo(200);
	}

	private String exportLine(String code) {
		return this.api.get("/api/admin/export", ADMIN_TOKEN)
			.expectStatus(200)
			.raw()
			.lines()
			.filter((line) -> JSON.readTree(line).get("code").asString().equals(code))
			.findFirst()
			.orElseThrow();
	}

	private static List<String> codes(JsonNode stats) {
		return stats.get("list").findValuesAsString("code");
	}

	private static List<String> fieldNames(JsonNode node) {
		Map<String, JsonNode> fields = new LinkedHashMap<>();
		node.properties().forEach((entry) -> fields.put(entry.getKey(), entry.getValue()));
		return new ArrayList<>(fields.keySet());
	}

	static String maskEpoch(String exportLine) {
		return exportLine.replaceAll("\"epoch\":\"[^\"]*\"", "\"epoch\":\"(new)\"");
	}

}
