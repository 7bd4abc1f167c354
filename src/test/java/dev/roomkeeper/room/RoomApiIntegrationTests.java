package dev.roomkeeper.room;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.roomkeeper.room.event.PublishedEvent;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.ApiClient.Response;
import dev.roomkeeper.support.ExpectedErrorLogs;
import dev.roomkeeper.support.RecordedEvents;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every row of the HTTP API and every error it can answer, over real HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "rooms.store.type=memory", "rooms.limits.failed-joins-per-minute=100000",
				"rooms.limits.state-bytes=2000", "rooms.limits.message-bytes=1000" })
class RoomApiIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	RoomEventBus eventBus;

	ApiClient api;

	RecordedEvents events;

	@BeforeEach
	void setUp() {
		this.api = new ApiClient(this.port);
		this.events = new RecordedEvents(this.eventBus);
	}

	@AfterEach
	void tearDown() {
		this.events.close();
	}

	// create

	@Test
	void createWhenNoCodeThenGeneratedCodeOwnerTokenAndLinks() {
		Response response = this.api.post("/api/rooms", Map.of("name", "Quiz night", "maxMembers", 8, "settings",
				Map.of("rounds", 3), "state", Map.of("n", 1)));

		response.expectStatus(201);
		JsonNode room = response.body().get("room");
		String code = room.get("code").asString();
		assertThat(code).hasSize(6).matches("[" + RoomCodes.ALPHABET + "]{6}");
		assertThat(response.headers().firstValue("Location")).contains("/api/rooms/" + code);
		assertThat(response.body().get("ownerToken").asString()).matches("[A-Za-z0-9_.-]{40,}");
		assertThat(response.body().get("joinUrl").asString()).isEqualTo("http://localhost:" + this.port + "/r/" + code);
		assertThat(response.body().get("qrUrl").asString())
			.startsWith("http://localhost:" + this.port + "/api/rooms/" + code + "/qr");
		assertThat(room.get("name").asString()).isEqualTo("Quiz night");
		assertThat(room.get("maxMembers").asInt()).isEqualTo(8);
		assertThat(room.get("hasPassword").asBoolean()).isFalse();
		assertThat(room.get("locked").asBoolean()).isFalse();
		assertThat(room.get("listed").asBoolean()).isFalse();
		assertThat(room.get("settings").get("rounds").asInt()).isEqualTo(3);
		assertThat(room.get("state").get("n").asInt()).isEqualTo(1);
		assertThat(room.get("version").asLong()).isZero();
		assertThat(room.get("memberCount").asInt()).isZero();
		assertThat(fieldNames(room)).containsExactlyInAnyOrder("code", "name", "hasPassword", "locked", "listed",
				"maxMembers", "memberCount", "connectedCount", "members", "settings", "state", "version", "seq",
				"epoch", "createdAt", "lastActivityAt", "expiresAt", "joinPolicy", "permissions");
	}

	@Test
	void createWhenNothingGivenThenDefaults() {
		JsonNode room = this.api.post("/api/rooms", "{}").expectStatus(201).body().get("room");

		assertThat(room.get("maxMembers").asInt()).isEqualTo(16);
		assertThat(room.get("name").asString()).isEqualTo(room.get("code").asString());
		assertThat(room.get("state").isObject()).isTrue();
	}

	@Test
	void createWhenCustomCodeThenUpperCaseAndFoundCaseInsensitively() {
		Response response = this.api.post("/api/rooms", Map.of("code", "karaoke-Night"));

		response.expectStatus(201);
		assertThat(response.body().get("room").get("code").asString()).isEqualTo("KARAOKE-NIGHT");
		assertThat(this.api.get("/api/rooms/karaoke-night").status()).isEqualTo(200);
	}

	@Test
	void createWhenCustomCodeTakenThenRoomExists() {
		this.api.post("/api/rooms", Map.of("code", "taken-code")).expectStatus(201);

		Response response = this.api.post("/api/rooms", Map.of("code", "TAKEN-CODE"));

		assertProblem(response, 409, "room-exists");
	}

	@Test
	void createWhenFieldsAreInvalidThenInvalidRequestListsEachField() {
		Response response = this.api.post("/api/rooms", Map.of("code", "no spaces!", "maxMembers", 1001, "listed",
				"yes", "settings", List.of(1), "state", "text", "name", ""));

		assertProblem(response, 400, "invalid-request");
		assertThat(response.body().get("errors").findValuesAsString("field")).containsExactlyInAnyOrder("code",
				"maxMembers", "listed", "settings", "state", "name");
	}

	@Test
	void createWhenCodeTooShortOrMaxMembersZeroOrWrongTypeThenInvalidRequest() {
		assertProblem(this.api.post("/api/rooms", Map.of("code", "ab")), 400, "invalid-request");
		assertProblem(this.api.post("/api/rooms", Map.of("maxMembers", 0)), 400, "invalid-request");
		assertProblem(this.api.post("/api/rooms", Map.of("maxMembers", "ten")), 400, "invalid-request");
		assertProblem(this.api.post("/api/rooms", "[1,2]"), 400, "invalid-request");
	}

	@Test
	void createWhenJsonIsMalformedThenInvalidRequest() {
		Response response = this.api.sendRaw("POST", "/api/rooms", "application/json", "{\"name\": ", null);

		assertProblem(response, 400, "invalid-request");
		assertThat(response.raw()).doesNotContain("Exception").doesNotContain("at dev.");
	}

	@Test
	void bodyWithLoneSurrogateThenInvalidRequestNamingTheFieldAndNothingChanges() {
		Response created = this.api.post("/api/rooms", "{\"name\": \"Quiz \\ud800\"}");
		assertProblem(created, 400, "invalid-request");
		assertThat(created.body().get("errors").findValuesAsString("field")).containsExactly("name");

		CreatedRoom room = this.api.createRoom();
		String path = "/api/rooms/" + room.code();
		Response state = this.api.post(path + "/state", "{\"patch\": {\"list\": [\"ok\", \"\\udc00\"]}}",
				room.ownerToken());
		assertProblem(state, 400, "invalid-request");
		assertThat(state.body().get("errors").findValuesAsString("field")).containsExactly("patch.list[1]");
		Response settings = this.api.patch(path, "{\"settings\": {\"theme\": \"\\udbff\"}}", room.ownerToken());
		assertProblem(settings, 400, "invalid-request");
		assertThat(settings.body().get("errors").findValuesAsString("field")).containsExactly("settings.theme");
		// in a field name the JSON parser itself refuses it (not valid JSON)
		assertProblem(this.api.patch(path, "{\"settings\": {\"\\udbff\": 1}}", room.ownerToken()), 400,
				"invalid-request");
		Response join = this.api.post(path + "/members", "{\"name\": \"Ann\", \"metadata\": {\"m\": \"\\ud800x\"}}",
				null);
		assertProblem(join, 400, "invalid-request");
		assertThat(join.body().get("errors").findValuesAsString("field")).containsExactly("metadata.m");

		JsonNode unchanged = this.api.get(path, room.ownerToken()).expectStatus(200).body();
		assertThat(unchanged.get("version").asLong()).isZero();
		assertThat(unchanged.get("memberCount").asInt()).isZero();
		assertThat(unchanged.get("settings").isEmpty()).isTrue();
	}

	@Test
	void bodyWithSurrogatePairThenAccepted() {
		Response created = this.api.post("/api/rooms", "{\"name\": \"Quiz \\ud83c\\udfb2\"}").expectStatus(201);
		assertThat(created.body().get("room").get("name").asString()).isEqualTo("Quiz \ud83c\udfb2");
	}

	@Test
	void createWhenBodyIsOverTheLimitThenPayloadTooLarge() {
		String big = "x".repeat(5000);

		assertProblem(this.api.post("/api/rooms", Map.of("name", "big", "state", Map.of("blob", big))), 413,
				"payload-too-large");
	}

	@Test
	void createWhenStateOrSettingsOverTheirLimitThenPayloadTooLarge() {
		assertProblem(this.api.post("/api/rooms", Map.of("state", Map.of("blob", "x".repeat(2100)))), 413,
				"payload-too-large");
		assertProblem(this.api.post("/api/rooms", Map.of("settings", Map.of("blob", "x".repeat(1100)))), 413,
				"payload-too-large");
	}

	// look-up and listing

	@Test
	void getWithoutTokenThenOnlyTheSummary() {
		CreatedRoom room = this.api.createRoom(Map.of("name", "Secret", "password", "pw"));

		Response response = this.api.get("/api/rooms/" + room.code().toLowerCase());

		response.expectStatus(200);
		assertThat(fieldNames(response.body())).containsExactlyInAnyOrder("code", "name", "hasPassword", "locked",
				"maxMembers", "memberCount", "expiresAt");
		assertThat(response.body().get("hasPassword").asBoolean()).isTrue();
	}

	@Test
	void getWithMemberOrOwnerTokenThenTheFullRoom() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember ann = this.api.join(room.code(), "Ann");

		JsonNode asMember = this.api.get("/api/rooms/" + room.code(), ann.token()).expectStatus(200).body();
		JsonNode asOwner = this.api.get("/api/rooms/" + room.code(), room.ownerToken()).expectStatus(200).body();

		assertThat(asMember.get("members").get(0).get("name").asString()).isEqualTo("Ann");
		assertThat(fieldNames(asMember.get("members").get(0))).containsExactlyInAnyOrder("id", "name", "role",
				"connected", "joinedAt", "lastSeenAt", "metadata", "userId");
		assertThat(asOwner.has("state")).isTrue();
		assertThat(asMember.toString()).doesNotContain("tokenHash").doesNotContain("passwordHash");
	}

	@Test
	void getWithTokenOfAnotherRoomThenUnauthorized() {
		CreatedRoom room = this.api.createRoom();
		CreatedRoom other = this.api.createRoom();

		assertProblem(this.api.get("/api/rooms/" + room.code(), other.ownerToken()), 401, "unauthorized");
	}

	@Test
	void getWhenRoomIsMissingThenRoomNotFound() {
		assertProblem(this.api.get("/api/rooms/NOSUCH"), 404, "room-not-found");
		assertProblem(this.api.get("/api/rooms/x"), 404, "room-not-found");
	}

	@Test
	void listThenOnlyListedRoomsWithoutPasswordMostRecentlyActiveFirst() {
		CreatedRoom older = this.api.createRoom(Map.of("name", "older", "listed", true));
		CreatedRoom newer = this.api.createRoom(Map.of("name", "newer", "listed", true));
		CreatedRoom hidden = this.api.createRoom(Map.of("name", "hidden"));
		CreatedRoom locked = this.api.createRoom(Map.of("name", "secret", "listed", true, "password", "pw"));
		this.api.post("/api/rooms/" + older.code() + "/keep-alive", null, older.ownerToken()).expectStatus(204);

		List<String> codes = this.api.get("/api/rooms")
			.expectStatus(200)
			.body()
			.get("rooms")
			.findValuesAsString("code");

		assertThat(codes).contains(older.code(), newer.code()).doesNotContain(hidden.code(), locked.code());
		assertThat(codes.indexOf(older.code())).isLessThan(codes.indexOf(newer.code()));
	}

	// join

	@Test
	void joinThenMemberTokenAndRoomAndEvent() {
		CreatedRoom room = this.api.createRoom();

		Response response = this.api.post("/api/rooms/" + room.code() + "/members",
				Map.of("name", "Ann", "metadata", Map.of("color", "red")));

		response.expectStatus(201);
		JsonNode member = response.body().get("member");
		assertThat(member.get("name").asString()).isEqualTo("Ann");
		assertThat(member.get("role").asString()).isEqualTo("member");
		assertThat(member.get("connected").asBoolean()).isFalse();
		assertThat(member.get("metadata").get("color").asString()).isEqualTo("red");
		assertThat(response.body().get("token").asString()).isNotBlank();
		assertThat(response.body().get("room").get("memberCount").asInt()).isEqualTo(1);
		assertThat(this.events.of(room.code())).extracting(PublishedEvent::type).containsExactly("member-joined");
	}

	@Test
	void joinWithPasswordThenWrongOrMissingPasswordIsRefused() {
		CreatedRoom room = this.api.createRoom(Map.of("password", "open sesame"));
		String path = "/api/rooms/" + room.code() + "/members";

		assertProblem(this.api.post(path, Map.of("name", "Ann")), 403, "wrong-password");
		assertProblem(this.api.post(path, Map.of("name", "Ann", "password", "open")), 403, "wrong-password");
		this.api.post(path, Map.of("name", "Ann", "password", "open sesame")).expectStatus(201);
	}

	@Test
	void joinWhenRoomFullThenRoomFull() {
		CreatedRoom room = this.api.createRoom(Map.of("maxMembers", 2));
		this.api.join(room.code(), "Ann");
		this.api.join(room.code(), "Bob");

		assertProblem(this.api.post("/api/rooms/" + room.code() + "/members", Map.of("name", "Cid")), 409, "room-full");
	}

	@Test
	void joinWhenLockedThenRoomLockedButOwnerTokenStillJoinsAsOwner() {
		CreatedRoom room = this.api.createRoom(Map.of("password", "pw"));
		this.api.patch("/api/rooms/" + room.code(), Map.of("locked", true), room.ownerToken()).expectStatus(200);
		String path = "/api/rooms/" + room.code() + "/members";

		assertProblem(this.api.post(path, Map.of("name", "Ann", "password", "pw")), 409, "room-locked");
		Response owner = this.api.post(path, Map.of("name", "Host", "ownerToken", room.ownerToken()));

		owner.expectStatus(201);
		assertThat(owner.body().get("member").get("role").asString()).isEqualTo("owner");
	}

	@Test
	void joinWithWrongOwnerTokenThenUnauthorized() {
		CreatedRoom room = this.api.createRoom();

		assertProblem(this.api.post("/api/rooms/" + room.code() + "/members",
				Map.of("name", "Host", "ownerToken", room.code() + ".not-the-token")), 401, "unauthorized");
	}

	@Test
	void joinWhenNameTakenIgnoringCaseThenNameTaken() {
		CreatedRoom room = this.api.createRoom();
		this.api.join(room.code(), "Ann");

		assertProblem(this.api.post("/api/rooms/" + room.code() + "/members", Map.of("name", "ANN")), 409,
				"name-taken");
	}

	@Test
	void joinWithoutNameThenInvalidRequest() {
		CreatedRoom room = this.api.createRoom();

		Response response = this.api.post("/api/rooms/" + room.code() + "/members", Map.of());

		assertProblem(response, 400, "invalid-request");
		assertThat(response.body().get("errors").findValuesAsString("field")).containsExactly("name");
	}

	@Test
	void joinWhenRoomIsMissingThenRoomNotFound() {
		assertProblem(this.api.post("/api/rooms/NOSUCH/members", Map.of("name", "Ann")), 404, "room-not-found");
	}

	// leave and kick

	@Test
	void removeMemberWhenSelfThenLeftAndWhenOwnerThenKicked() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember ann = this.api.join(room.code(), "Ann");
		JoinedMember bob = this.api.join(room.code(), "Bob");

		this.api.delete("/api/rooms/" + room.code() + "/members/" + ann.memberId(), ann.token()).expectStatus(204);
		this.api.delete("/api/rooms/" + room.code() + "/members/" + bob.memberId(), room.ownerToken())
			.expectStatus(204);

		List<PublishedEvent> removed = this.events.of(room.code())
			.stream()
			.filter((event) -> event.type().equals("member-removed"))
			.toList();
		assertThat(removed).extracting(PublishedEvent::json)
			.satisfiesExactly((json) -> assertThat(json).contains("\"reason\":\"left\"").contains(ann.memberId()),
					(json) -> assertThat(json).contains("\"reason\":\"kicked\"").contains(bob.memberId()));
		assertProblem(this.api.get("/api/rooms/" + room.code(), ann.token()), 401, "unauthorized");
	}

	@Test
	void removeMemberWhenAnotherMemberAsksThenForbidden() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember ann = this.api.join(room.code(), "Ann");
		JoinedMember bob = this.api.join(room.code(), "Bob");

		assertProblem(this.api.delete("/api/rooms/" + room.code() + "/members/" + bob.memberId(), ann.token()), 403,
				"forbidden");
	}

	@Test
	void removeMemberWithoutTokenThenUnauthorizedAndUnknownMemberThenNotFound() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember ann = this.api.join(room.code(), "Ann");

		assertProblem(this.api.delete("/api/rooms/" + room.code() + "/members/" + ann.memberId(), null), 401,
				"unauthorized");
		assertProblem(this.api.delete("/api/rooms/" + room.code() + "/members/nobody", room.ownerToken()), 404,
				"not-found");
	}

	// owner changes and close

	@Test
	void patchWhenOwnerThenSettingsChangeAndEvent() {
		CreatedRoom room = this.api.createRoom(Map.of("settings", Map.of("a", 1, "b", 2)));

		Response response = this.api.patch("/api/rooms/" + room.code(), Map.of("name", "Renamed", "maxMembers", 4,
				"locked", true, "listed", true, "settings", Map.of("b", 3, "c", 4)), room.ownerToken());

		response.expectStatus(200);
		JsonNode body = response.body();
		assertThat(body.get("name").asString()).isEqualTo("Renamed");
		assertThat(body.get("maxMembers").asInt()).isEqualTo(4);
		assertThat(body.get("locked").asBoolean()).isTrue();
		assertThat(body.get("listed").asBoolean()).isTrue();
		assertThat(body.get("settings")).isEqualTo(json("{\"a\":1,\"b\":3,\"c\":4}"));
		PublishedEvent event = this.events.of(room.code()).get(0);
		assertThat(event.type()).isEqualTo("settings");
		assertThat(event.json()).contains("\"name\":\"Renamed\"").contains("\"locked\":true");
	}

	@Test
	void patchPasswordThenSetAndRemoved() {
		CreatedRoom room = this.api.createRoom();
		String path = "/api/rooms/" + room.code();

		this.api.patch(path, Map.of("password", "new secret"), room.ownerToken()).expectStatus(200);
		assertProblem(this.api.post(path + "/members", Map.of("name", "Ann")), 403, "wrong-password");
		this.api.post(path + "/members", Map.of("name", "Ann", "password", "new secret")).expectStatus(201);

		Response removed = this.api.patch(path, "{\"password\": null}", room.ownerToken());
		assertThat(removed.expectStatus(200).body().get("hasPassword").asBoolean()).isFalse();
		this.api.post(path + "/members", Map.of("name", "Bob")).expectStatus(201);
	}

	@Test
	void patchWhenMemberOrNoTokenThenForbiddenOrUnauthorized() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember ann = this.api.join(room.code(), "Ann");

		assertProblem(this.api.patch("/api/rooms/" + room.code(), Map.of("locked", true), ann.token()), 403,
				"forbidden");
		assertProblem(this.api.patch("/api/rooms/" + room.code(), Map.of("locked", true), null), 401, "unauthorized");
		assertProblem(this.api.patch("/api/rooms/" + room.code(), Map.of("maxMembers", -1), room.ownerToken()), 400,
				"invalid-request");
	}

	@Test
	void patchWhenOwnerMemberThenAllowed() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember host = this.api.join(room.code(), Map.of("name", "Host", "ownerToken", room.ownerToken()));

		this.api.patch("/api/rooms/" + room.code(), Map.of("locked", true), host.token()).expectStatus(200);
	}

	@Test
	void deleteWhenOwnerThenClosedEventAndRoomNotFound() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember ann = this.api.join(room.code(), "Ann");

		assertProblem(this.api.delete("/api/rooms/" + room.code(), ann.token()), 403, "forbidden");
		this.api.delete("/api/rooms/" + room.code(), room.ownerToken()).expectStatus(204);

		assertProblem(this.api.get("/api/rooms/" + room.code()), 404, "room-not-found");
		assertProblem(this.api.post("/api/rooms/" + room.code() + "/members", Map.of("name", "Bob")), 404,
				"room-not-found");
		PublishedEvent last = this.events.of(room.code()).get(this.events.of(room.code()).size() - 1);
		assertThat(last.type()).isEqualTo("closed");
		assertThat(last.json()).contains("\"reason\":\"owner\"");
	}

	// state and keep-alive

	@Test
	void patchStateThenMergedVersionIncrementedAndEvent() {
		CreatedRoom room = this.api.createRoom(Map.of("state", Map.of("a", 1, "nested", Map.of("x", 1, "y", 2))));
		JoinedMember ann = this.api.join(room.code(), "Ann");

		Response response = this.api.post("/api/rooms/" + room.code() + "/state",
				"{\"patch\": {\"a\": null, \"b\": 2, \"nested\": {\"y\": 3}}, \"baseVersion\": 0}", ann.token());

		assertThat(response.expectStatus(200).body().get("version").asLong()).isEqualTo(1);
		JsonNode state = this.api.get("/api/rooms/" + room.code(), ann.token()).body().get("state");
		assertThat(state).isEqualTo(json("{\"nested\":{\"x\":1,\"y\":3},\"b\":2}"));
		List<PublishedEvent> roomEvents = this.events.of(room.code());
		PublishedEvent stateEvent = roomEvents.get(roomEvents.size() - 1);
		assertThat(stateEvent.type()).isEqualTo("state");
		assertThat(stateEvent.json()).contains("\"version\":1").contains("\"by\":\"" + ann.memberId() + "\"");
		assertThat(roomEvents).extracting(PublishedEvent::seq).containsExactly(1L, 2L);
	}

	@Test
	void patchStateWhenBaseVersionIsOldThenVersionConflict() {
		CreatedRoom room = this.api.createRoom();
		String path = "/api/rooms/" + room.code() + "/state";
		this.api.post(path, Map.of("patch", Map.of("a", 1)), room.ownerToken()).expectStatus(200);

		assertProblem(this.api.post(path, Map.of("patch", Map.of("a", 2), "baseVersion", 0), room.ownerToken()), 409,
				"version-conflict");
	}

	@Test
	void patchStateWhenInvalidThenInvalidRequestOrPayloadTooLarge() {
		CreatedRoom room = this.api.createRoom();
		String path = "/api/rooms/" + room.code() + "/state";

		assertProblem(this.api.post(path, Map.of(), room.ownerToken()), 400, "invalid-request");
		assertProblem(this.api.post(path, Map.of("patch", List.of(1)), room.ownerToken()), 400, "invalid-request");
		assertProblem(this.api.post(path, Map.of("patch", Map.of(), "baseVersion", "one"), room.ownerToken()), 400,
				"invalid-request");
		assertProblem(this.api.post(path, Map.of("patch", Map.of("blob", "x".repeat(2100))), room.ownerToken()), 413,
				"payload-too-large");
		assertProblem(this.api.post(path, Map.of("patch", Map.of("a", 1)), null), 401, "unauthorized");
	}

	@Test
	void keepAliveThenActivityIsRecordedWithoutEvent() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember ann = this.api.join(room.code(), "Ann");
		String before = this.api.get("/api/rooms/" + room.code()).body().get("expiresAt").asString();

		this.api.post("/api/rooms/" + room.code() + "/keep-alive", null, ann.token()).expectStatus(204);

		String after = this.api.get("/api/rooms/" + room.code()).body().get("expiresAt").asString();
		assertThat(java.time.Instant.parse(after)).isAfter(java.time.Instant.parse(before));
		assertThat(this.events.of(room.code())).extracting(PublishedEvent::type).containsExactly("member-joined");
		assertProblem(this.api.post("/api/rooms/" + room.code() + "/keep-alive", null, "bogus"), 401, "unauthorized");
	}

	@Test
	void patchStateWhenManyClientsRetryOnConflictThenNoIncrementIsLost() throws Exception {
		CreatedRoom room = this.api.createRoom(Map.of("state", Map.of("counter", 0)));
		int threads = 8;
		int increments = 25;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				futures.add(executor.submit(() -> {
					for (int i = 0; i < increments; i++) {
						incrementWithRetry(room);
					}
				}));
			}
			for (Future<?> future : futures) {
				future.get(2, TimeUnit.MINUTES);
			}
		}
		finally {
			executor.shutdownNow();
		}

		JsonNode full = this.api.get("/api/rooms/" + room.code(), room.ownerToken()).body();
		assertThat(full.get("state").get("counter").asInt()).isEqualTo(threads * increments);
		assertThat(full.get("version").asInt()).isEqualTo(threads * increments);
	}

	private void incrementWithRetry(CreatedRoom room) {
		while (true) {
			JsonNode full = this.api.get("/api/rooms/" + room.code(), room.ownerToken()).body();
			long version = full.get("version").asLong();
			int counter = full.get("state").get("counter").asInt();
			Response response = this.api.post("/api/rooms/" + room.code() + "/state",
					Map.of("patch", Map.of("counter", counter + 1), "baseVersion", version), room.ownerToken());
			if (response.status() == 200) {
				return;
			}
			assertProblem(response, 409, "version-conflict");
		}
	}

	// framework errors are problem+json too

	@Test
	@ExpectedErrorLogs(value = "org.springframework.web.servlet.PageNotFound",
			because = "a request with an unsupported method (Spring warns: Request method PUT is not supported)")
	void unknownPathWrongMethodAndWrongMediaTypeThenProblemJson() {
		assertProblem(this.api.get("/api/nothing-here"), 404, "not-found");
		assertProblem(this.api.send("PUT", "/api/rooms", Map.of(), null), 405, "method-not-allowed");
		assertProblem(this.api.sendRaw("POST", "/api/rooms", "text/plain", "hello", null), 415,
				"unsupported-media-type");
	}

	static void assertProblem(Response response, int status, String code) {
		assertThat(response.status()).as(response.raw()).isEqualTo(status);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.code()).isEqualTo(code);
		assertThat(response.body().get("status").asInt()).isEqualTo(status);
		assertThat(response.body().get("type").asString()).isEqualTo("urn:roomkeeper:problem:" + code);
		assertThat(response.body().has("title")).isTrue();
		assertThat(response.body().has("detail")).isTrue();
	}

	private static JsonNode json(String text) {
		return tools.jackson.databind.json.JsonMapper.builder().build().readTree(text);
	}

	private static List<String> fieldNames(JsonNode node) {
		List<String> names = new ArrayList<>();
		node.propertyNames().forEach(names::add);
		return names;
	}

}
