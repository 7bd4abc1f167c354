package dev.roomkeeper.room;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.nimbusds.jose.JWSAlgorithm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.web.socket.WebSocketHttpHeaders;

import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.LiveClient;
import dev.roomkeeper.support.RecordedEvents;
import dev.roomkeeper.support.Tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * "Your backend in the loop" over real HTTP and STOMP: server keys, permissions and join
 * tickets (forged, expired, other room, {@code alg: none}, missing claims, rotated
 * secrets, one seat per user).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "rooms.store.type=memory",
		"rooms.limits.failed-joins-per-minute=100000", "rooms.server-keys=" + BackendApiIntegrationTests.SERVER_KEY,
		"rooms.tickets.secrets=" + BackendApiIntegrationTests.OLD_SECRET + "," + BackendApiIntegrationTests.SECRET })
class BackendApiIntegrationTests {

	static final String SERVER_KEY = "sk_test_0123456789abcdefghijklmnopqrstuvwxyz";

	static final String SECRET = "ticket-secret-0123456789-0123456789-abcdef";

	static final String OLD_SECRET = "old-ticket-secret-0123456789-0123456789-xyz";

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

	private List<JsonNode> awaitEvents(String code, String type, int count) {
		await().until(() -> this.events.typesOf(code).stream().filter(type::equals).count() >= count);
		return this.events.of(code)
			.stream()
			.filter((event) -> event.type().equals(type))
			.map((event) -> JSON.readTree(event.json()))
			.toList();
	}

	private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder()
		.build();

	// server keys

	@Test
	void serverKeyGetsTheFullRoomAndActsAsOwner() {
		CreatedRoom room = this.api.createRoom();
		this.api.join(room.code(), "Ann");

		JsonNode full = this.api.get("/api/rooms/" + room.code(), SERVER_KEY).expectStatus(200).body();
		assertThat(full.get("members").get(0).get("name").asString()).isEqualTo("Ann");
		assertThat(full.get("joinPolicy").asString()).isEqualTo("open");
		assertThat(full.get("permissions").get("state").asString()).isEqualTo("members");

		this.api.post("/api/rooms/" + room.code() + "/state", Map.of("patch", Map.of("turn", 1)), SERVER_KEY)
			.expectStatus(200);
		this.api.patch("/api/rooms/" + room.code(), Map.of("locked", true), SERVER_KEY).expectStatus(200);
		this.api.delete("/api/rooms/" + room.code(), SERVER_KEY).expectStatus(204);

		JsonNode state = awaitEvents(room.code(), "state", 1).get(0);
		assertThat(state.get("by").asString()).isEqualTo("server");
		JsonNode closed = awaitEvents(room.code(), "closed", 1).get(0);
		assertThat(closed.get("reason").asString()).isEqualTo("server");
	}

	@Test
	void wrongServerKeyIsUnauthorized() {
		CreatedRoom room = this.api.createRoom();
		ApiClient.Response answer = this.api.delete("/api/rooms/" + room.code(), SERVER_KEY + "x");
		answer.expectStatus(401);
		assertThat(answer.code()).isEqualTo("unauthorized");
	}

	@Test
	void messagesFromMemberOwnerAndServerThen202AndMessageEvents() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember ann = this.api.join(room.code(), "Ann");

		this.api.post("/api/rooms/" + room.code() + "/messages", Map.of("data", Map.of("hi", 1)), ann.token())
			.expectStatus(202);
		this.api.post("/api/rooms/" + room.code() + "/messages", Map.of("data", "go"), SERVER_KEY).expectStatus(202);

		List<JsonNode> messages = awaitEvents(room.code(), "message", 2);
		assertThat(messages.get(0).get("from").asString()).isEqualTo(ann.memberId());
		assertThat(messages.get(1).get("from").asString()).isEqualTo("server");
		assertThat(messages.get(1).get("data").asString()).isEqualTo("go");
		ApiClient.Response noData = this.api.post("/api/rooms/" + room.code() + "/messages", Map.of(), ann.token());
		assertThat(noData.status()).isEqualTo(400);
		ApiClient.Response noToken = this.api.post("/api/rooms/" + room.code() + "/messages", Map.of("data", 1));
		assertThat(noToken.status()).isEqualTo(401);
	}

	// permissions

	@Test
	void joinPolicyAndPermissionsAtCreateNeedTheServerKey() {
		ApiClient.Response refused = this.api.post("/api/rooms", Map.of("permissions", Map.of("state", "server")));
		refused.expectStatus(403);
		assertThat(refused.code()).isEqualTo("forbidden");
		ApiClient.Response bad = this.api.post("/api/rooms", Map.of("joinPolicy", "closed"), SERVER_KEY);
		assertThat(bad.status()).isEqualTo(400);
	}

	@Test
	void permissionsRefuseMembersOverRestAndStomp() {
		ApiClient.Response created = this.api.post("/api/rooms",
				Map.of("permissions", Map.of("state", "server", "broadcast", "owner")), SERVER_KEY);
		created.expectStatus(201);
		String code = created.body().get("room").get("code").asString();
		String ownerToken = created.body().get("ownerToken").asString();
		assertThat(created.body().get("room").get("permissions").get("state").asString()).isEqualTo("server");
		JoinedMember ann = this.api.join(code, "Ann");

		ApiClient.Response state = this.api.post("/api/rooms/" + code + "/state", Map.of("patch", Map.of("x", 1)),
				ann.token());
		state.expectStatus(403);
		assertThat(state.code()).isEqualTo("forbidden");
		this.api.post("/api/rooms/" + code + "/state", Map.of("patch", Map.of("x", 1)), ownerToken).expectStatus(403);
		this.api.post("/api/rooms/" + code + "/state", Map.of("patch", Map.of("x", 1)), SERVER_KEY).expectStatus(200);
		this.api.post("/api/rooms/" + code + "/messages", Map.of("data", 1), ann.token()).expectStatus(403);
		this.api.post("/api/rooms/" + code + "/messages", Map.of("data", 1), ownerToken).expectStatus(202);

		try (LiveClient live = new LiveClient(this.port)) {
			LiveClient.Session session = live.connect(ann.token());
			session.join(code);
			session.send("/app/rooms/" + code + "/state", Map.of("patch", Map.of("y", 2)));
			session.send("/app/rooms/" + code + "/broadcast", Map.of("data", "hi"));
			await().untilAsserted(() -> assertThat(session.received()
				.stream()
				.filter((r) -> "error".equals(r.type()))
				.map((r) -> r.body().get("code").asString())).containsExactly("forbidden", "forbidden"));
		}

		this.api.patch("/api/rooms/" + code, Map.of("permissions", Map.of("state", "members")), ownerToken)
			.expectStatus(403);
		JsonNode patched = this.api
			.patch("/api/rooms/" + code, Map.of("permissions", Map.of("state", "members")), SERVER_KEY)
			.expectStatus(200)
			.body();
		assertThat(patched.get("permissions").get("state").asString()).isEqualTo("members");
		assertThat(patched.get("permissions").get("broadcast").asString()).isEqualTo("owner");
		this.api.post("/api/rooms/" + code + "/state", Map.of("patch", Map.of("x", 2)), ann.token()).expectStatus(200);
	}

	// tickets

	@Test
	void ticketJoinsWithoutPasswordAndTheMemberHasUserId() {
		CreatedRoom room = this.api.createRoom(Map.of("password", "secret"));
		String ticket = Tickets.mint(SECRET, room.code(), "user-42", "Ann");

		ApiClient.Response joined = this.api.post("/api/rooms/" + room.code() + "/members", Map.of("ticket", ticket));

		joined.expectStatus(201);
		assertThat(joined.body().get("member").get("userId").asString()).isEqualTo("user-42");
		assertThat(joined.body().get("member").get("name").asString()).isEqualTo("Ann");
		assertThat(joined.body().get("member").get("role").asString()).isEqualTo("member");
		JoinedMember bob = this.api.join(room.code(), Map.of("name", "Bob", "password", "secret"));
		assertThat(bob.response().body().get("member").get("userId").isNull()).isTrue();
	}

	@Test
	void sameSubTwiceIsTheSameMemberAndBothTokensWork() {
		CreatedRoom room = this.api.createRoom();
		String path = "/api/rooms/" + room.code() + "/members";
		ApiClient.Response first = this.api.post(path,
				Map.of("ticket", Tickets.mint(SECRET, room.code(), "u1", "Ann")));
		ApiClient.Response second = this.api.post(path,
				Map.of("ticket", Tickets.mint(SECRET, room.code(), "u1", "Ann")));

		first.expectStatus(201);
		second.expectStatus(200);
		assertThat(second.body().get("member").get("id").asString())
			.isEqualTo(first.body().get("member").get("id").asString());
		assertThat(second.body().get("token").asString()).isNotEqualTo(first.body().get("token").asString());
		assertThat(second.body().get("room").get("memberCount").asInt()).isEqualTo(1);
		this.api.post("/api/rooms/" + room.code() + "/keep-alive", null, first.body().get("token").asString())
			.expectStatus(204);
		this.api.post("/api/rooms/" + room.code() + "/keep-alive", null, second.body().get("token").asString())
			.expectStatus(204);
	}

	@Test
	void concurrentTicketsForOneUserGiveOneSeat() throws Exception {
		CreatedRoom room = this.api.createRoom();
		String path = "/api/rooms/" + room.code() + "/members";
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Callable<ApiClient.Response>> joins = new ArrayList<>();
			for (int i = 0; i < 16; i++) {
				joins
					.add(() -> this.api.post(path, Map.of("ticket", Tickets.mint(SECRET, room.code(), "same", "Ann"))));
			}
			List<String> ids = new ArrayList<>();
			for (Future<ApiClient.Response> answer : pool.invokeAll(joins)) {
				ids.add(answer.get().body().get("member").get("id").asString());
			}
			assertThat(ids).hasSize(16).containsOnly(ids.get(0));
		}
		finally {
			pool.shutdownNow();
		}
		JsonNode full = this.api.get("/api/rooms/" + room.code(), SERVER_KEY).body();
		assertThat(full.get("memberCount").asInt()).isEqualTo(1);
		assertThat(this.events.typesOf(room.code())).containsOnlyOnce("member-joined");
	}

	@Test
	void rotatedSecretsBothVerify() {
		CreatedRoom room = this.api.createRoom();
		String path = "/api/rooms/" + room.code() + "/members";
		this.api.post(path, Map.of("ticket", Tickets.mint(OLD_SECRET, room.code(), "a", "Ann"))).expectStatus(201);
		this.api.post(path, Map.of("ticket", Tickets.mint(SECRET, room.code(), "b", "Bob"))).expectStatus(201);
	}

	@Test
	void badTicketsAreInvalidTicket() {
		CreatedRoom room = this.api.createRoom();
		CreatedRoom other = this.api.createRoom();
		String code = room.code();
		Date past = new Date(System.currentTimeMillis() - 3_600_000);
		Date tooFar = new Date(System.currentTimeMillis() + 25L * 3_600_000);
		List<String> bad = List.of(Tickets.mint("forged-secret-0123456789-0123456789-abcdef", code, "u", "Ann"),
				Tickets.mint(SECRET, JWSAlgorithm.HS256, Tickets.claims(code, "u", "Ann").expirationTime(past).build()),
				Tickets.mint(SECRET, JWSAlgorithm.HS256,
						Tickets.claims(code, "u", "Ann").expirationTime(tooFar).build()),
				Tickets.mint(SECRET, other.code(), "u", "Ann"),
				Tickets.unsigned(Map.of("room", code, "sub", "u", "name", "Ann")),
				Tickets.mint(SECRET + SECRET, JWSAlgorithm.HS512, Tickets.claims(code, "u", "Ann").build()),
				Tickets.mint(SECRET, JWSAlgorithm.HS256, Tickets.claims(code, null, "Ann").build()),
				Tickets.mint(SECRET, JWSAlgorithm.HS256, Tickets.claims(code, "u", null).build()),
				Tickets.mint(SECRET, JWSAlgorithm.HS256, Tickets.claims(null, "u", "Ann").build()),
				Tickets.mint(SECRET, JWSAlgorithm.HS256, Tickets.claims(code, "u", "Ann").expirationTime(null).build()),
				Tickets.mint(SECRET, JWSAlgorithm.HS256, Tickets.claims(code, "u".repeat(129), "Ann").build()), Tickets
					.mint(SECRET, JWSAlgorithm.HS256, Tickets.claims(code, "u", "Ann").claim("role", "admin").build()),
				"not.a.jwt");
		for (String ticket : bad) {
			ApiClient.Response answer = this.api.post("/api/rooms/" + code + "/members", Map.of("ticket", ticket));
			assertThat(answer.status()).as(ticket).isEqualTo(401);
			assertThat(answer.code()).as(ticket).isEqualTo("invalid-ticket");
			assertThat(answer.contentType()).startsWith("application/problem+json");
		}
		JsonNode full = this.api.get("/api/rooms/" + code, SERVER_KEY).body();
		assertThat(full.get("memberCount").asInt()).isZero();
	}

	@Test
	void ticketPolicyRefusesOtherJoins() {
		ApiClient.Response created = this.api.post("/api/rooms", Map.of("joinPolicy", "ticket"), SERVER_KEY);
		created.expectStatus(201);
		String code = created.body().get("room").get("code").asString();

		ApiClient.Response plain = this.api.post("/api/rooms/" + code + "/members", Map.of("name", "Eve"));
		plain.expectStatus(403);
		assertThat(plain.code()).isEqualTo("ticket-required");
		this.api.post("/api/rooms/" + code + "/members", Map.of("ticket", Tickets.mint(SECRET, code, "u", "Ann")))
			.expectStatus(201);
	}

	@Test
	void stompConnectWithTicketJoinsAndConnects() {
		CreatedRoom room = this.api.createRoom();
		String ticket = Tickets.mint(SECRET, room.code(), "u-stomp", "Ann");
		try (LiveClient live = new LiveClient(this.port)) {
			StompHeaders connect = new StompHeaders();
			connect.add("ticket", ticket);
			LiveClient.Session session = live.connect(new WebSocketHttpHeaders(), connect);
			await().until(() -> session.connectedHeaders() != null);
			String memberId = session.connectedHeaders().getFirst("user-name");
			String token = session.connectedHeaders().getFirst("token");
			assertThat(token).startsWith(room.code() + ".");
			JsonNode snapshot = session.join(room.code());
			assertThat(snapshot.toString()).contains(memberId).contains("u-stomp");

			LiveClient.Session again = live.connect(new WebSocketHttpHeaders(), connect);
			await().until(() -> again.connectedHeaders() != null);
			assertThat(again.connectedHeaders().getFirst("user-name")).isEqualTo(memberId);

			StompHeaders forged = new StompHeaders();
			forged.add("ticket", Tickets.mint("forged-secret-0123456789-0123456789-abcdef", room.code(), "u", "A"));
			LiveClient.Attempt refused = live.tryConnect(new WebSocketHttpHeaders(), forged);
			assertThat(refused.refused()).isTrue();
			await().untilAsserted(() -> assertThat(refused.session().errors()).isNotEmpty());
			assertThat(refused.session().errors().get(0).getFirst("code")).isEqualTo("invalid-ticket");
		}
	}

}
