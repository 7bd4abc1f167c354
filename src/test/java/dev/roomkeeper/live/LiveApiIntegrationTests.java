package dev.roomkeeper.live;

import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.web.socket.WebSocketHttpHeaders;

import dev.roomkeeper.room.LiveConnections;
import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.LiveClient;
import dev.roomkeeper.support.LiveClient.Received;
import dev.roomkeeper.support.LiveClient.Session;
import dev.roomkeeper.support.MemoryStoreServerTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live API over a real WebSocket with Spring's STOMP client: events, seq, snapshots,
 * presence, reconnection, REST and STOMP mixed.
 */
@MemoryStoreServerTest
class LiveApiIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	LiveConnections liveConnections;

	@Autowired
	MeterRegistry meters;

	@Autowired
	ServletWebServerApplicationContext context;

	ApiClient api;

	LiveClient live;

	@BeforeEach
	void setUp() {
		this.api = new ApiClient(this.port);
		this.live = new LiveClient(this.port);
	}

	@AfterEach
	void tearDown() {
		this.live.close();
	}

	@Test
	void stateBroadcastAndPresenceFromOneMemberReachBothWithSeqPlusOneEach() {
		CreatedRoom room = this.api.createRoom(Map.of("state", Map.of("round", 1)));
		JoinedMember ann = this.api.join(room.code(), "Ann");
		JoinedMember bob = this.api.join(room.code(), "Bob");
		Session a = this.live.connect(ann.token());
		long start = a.join(room.code()).path("seq").asLong();
		Session b = this.live.connect(bob.token());
		Received bobConnected = a.awaitRoom("member-connected");
		assertThat(bobConnected.body().path("memberId").asString()).isEqualTo(bob.memberId());
		assertThat(bobConnected.seq()).isEqualTo(start + 1);
		long base = b.join(room.code()).path("seq").asLong();
		assertThat(base).isEqualTo(start + 1);

		a.send("/app/rooms/" + room.code() + "/state", Map.of("patch", Map.of("round", 2), "baseVersion", 0));
		a.send("/app/rooms/" + room.code() + "/broadcast", Map.of("data", Map.of("emoji", "🎉")));
		a.send("/app/rooms/" + room.code() + "/presence", Map.of("metadata", Map.of("cursor", List.of(3, 4))));

		for (Session session : List.of(a, b)) {
			Received state = session.awaitRoom("state");
			Received message = session.awaitRoom("message");
			Received presence = session.awaitRoom("presence");
			assertThat(state.seq()).isEqualTo(base + 1);
			assertThat(state.body().path("version").asLong()).isEqualTo(1);
			assertThat(state.body().path("patch").path("round").asInt()).isEqualTo(2);
			assertThat(state.body().path("by").asString()).isEqualTo(ann.memberId());
			assertThat(message.seq()).isEqualTo(base + 2);
			assertThat(message.body().path("from").asString()).isEqualTo(ann.memberId());
			assertThat(message.body().path("data").path("emoji").asString()).isEqualTo("🎉");
			assertThat(presence.seq()).isEqualTo(base + 3);
			assertThat(presence.body().path("memberId").asString()).isEqualTo(ann.memberId());
			assertThat(presence.body().path("metadata").path("cursor").get(1).asInt()).isEqualTo(4);
			for (Received event : List.of(state, message, presence)) {
				assertThat(event.body().path("room").asString()).isEqualTo(room.code());
				assertThat(event.body().path("at").isString()).isTrue();
				assertThat(event.destination()).isEqualTo("/topic/rooms/" + room.code());
			}
		}
		JsonNode stored = this.api.get("/api/rooms/" + room.code(), bob.token()).body();
		assertThat(stored.path("state").path("round").asInt()).isEqualTo(2);
		assertThat(stored.path("version").asLong()).isEqualTo(1);
		assertThat(stored.path("connectedCount").asInt()).isEqualTo(2);
	}

	@Test
	void reconnectWithSameTokenThenSnapshotHasCurrentVersionAndSeqAndOthersSeeDisconnectedThenConnected() {
		CreatedRoom room = this.api.createRoom();
		AnnAndBob members = connectAnnAndBob(room);
		Session a = members.a();
		Session b = members.b();
		b.send(state(room), Map.of("patch", Map.of("round", 1)));
		a.awaitRoom("state");

		b.disconnect();
		Received disconnected = a.awaitRoom("member-disconnected");
		a.send(state(room), Map.of("patch", Map.of("round", 2)));
		a.awaitRoom((event) -> "state".equals(event.type()) && event.body().path("version").asLong() == 2);
		Session again = this.live.connect(members.bob().token());
		Received connected = a
			.awaitRoom((event) -> "member-connected".equals(event.type()) && event.seq() > disconnected.seq());
		JsonNode snapshot = again.join(room.code());

		assertThat(disconnected.body().path("memberId").asString()).isEqualTo(members.bob().memberId());
		assertThat(disconnected.body().path("lastSeenAt").isString()).isTrue();
		assertThat(connected.body().path("memberId").asString()).isEqualTo(members.bob().memberId());
		assertThat(connected.seq()).isEqualTo(disconnected.seq() + 2);
		assertThat(snapshot.path("seq").asLong()).isEqualTo(connected.seq());
		JsonNode view = snapshot.path("snapshot");
		assertThat(view.path("version").asLong()).isEqualTo(2);
		assertThat(view.path("seq").asLong()).isEqualTo(connected.seq());
		assertThat(view.path("state").path("round").asInt()).isEqualTo(2);
		assertThat(view.path("members").findValuesAsString("id")).containsExactly(members.ann().memberId(),
				members.bob().memberId());
		assertThat(view.path("members").get(1).path("connected").asBoolean()).isTrue();
		assertThat(view.path("connectedCount").asInt()).isEqualTo(2);
		assertThat(types(a.roomEvents())).containsSubsequence("member-disconnected", "state", "member-connected");
	}

	@Test
	void restChangesProduceTheSameEventsInSeqOrderAndClosedArrivesBeforeTheConnectionEnds() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember ann = this.api.join(room.code(), "Ann");
		Session a = this.live.connect(ann.token());
		long start = a.join(room.code()).path("seq").asLong();

		JoinedMember carl = this.api.join(room.code(), "Carl");
		this.api.patch("/api/rooms/" + room.code(), Map.of("name", "Quiz", "locked", true), room.ownerToken())
			.expectStatus(200);
		this.api.post("/api/rooms/" + room.code() + "/state", Map.of("patch", Map.of("q", 1)), room.ownerToken())
			.expectStatus(200);
		this.api.post("/api/rooms/" + room.code() + "/keep-alive", null, ann.token()).expectStatus(204);
		this.api.delete("/api/rooms/" + room.code() + "/members/" + carl.memberId(), carl.token()).expectStatus(204);
		this.api.delete("/api/rooms/" + room.code(), room.ownerToken()).expectStatus(204);

		a.awaitRoom("closed");
		List<Received> events = a.roomEvents();
		assertThat(types(events)).containsExactly("member-joined", "settings", "state", "member-removed", "closed");
		for (int i = 0; i < events.size(); i++) {
			assertThat(events.get(i).seq()).isEqualTo(start + 1 + i);
		}
		assertThat(events.get(0).body().path("member").path("name").asString()).isEqualTo("Carl");
		assertThat(events.get(1).body().path("name").asString()).isEqualTo("Quiz");
		assertThat(events.get(1).body().path("locked").asBoolean()).isTrue();
		assertThat(events.get(2).body().path("by").asString()).isEqualTo("owner");
		assertThat(events.get(3).body().path("reason").asString()).isEqualTo("left");
		assertThat(events.get(4).body().path("reason").asString()).isEqualTo("owner");
		a.awaitDisconnected();
		await().atMost(LiveClient.TIMEOUT).until(() -> this.liveConnections.inRoom(room.code()) == 0);
	}

	@Test
	void kickedMemberSeesMemberRemovedThenItsConnectionEndsAndItGetsNothingMore() {
		CreatedRoom room = this.api.createRoom();
		AnnAndBob members = connectAnnAndBob(room);
		Session a = members.a();
		Session b = members.b();
		assertThat(this.liveConnections.inRoom(room.code())).isEqualTo(2);

		this.api.delete("/api/rooms/" + room.code() + "/members/" + members.bob().memberId(), room.ownerToken())
			.expectStatus(204);

		Received removed = b.awaitRoom("member-removed");
		assertThat(removed.body().path("memberId").asString()).isEqualTo(members.bob().memberId());
		assertThat(removed.body().path("reason").asString()).isEqualTo("kicked");
		b.awaitDisconnected();
		a.send(broadcast(room), Map.of("data", "after the kick"));
		a.awaitRoom("message");
		assertThat(types(b.roomEvents())).doesNotContain("message");
		assertThat(this.liveConnections.inRoom(room.code())).isEqualTo(1);
	}

	@Test
	void connectWithoutTokenThenErrorFrameAndClosed() {
		LiveClient.Attempt attempt = this.live.tryConnect(new WebSocketHttpHeaders(), new StompHeaders());

		assertThat(attempt.refused()).isTrue();
		assertThat(attempt.session().awaitError().getFirst("code")).isEqualTo("unauthorized");
	}

	@Test
	void connectWithUnknownOrMalformedTokenThenErrorFrameAndClosed() {
		CreatedRoom room = this.api.createRoom();
		for (String token : List.of(room.code() + ".not-the-secret", "no-dot-in-it", "ZZZZZZ.secret")) {
			StompHeaders headers = new StompHeaders();
			headers.add("token", token);
			LiveClient.Attempt attempt = this.live.tryConnect(new WebSocketHttpHeaders(), headers);
			assertThat(attempt.refused()).as(token).isTrue();
			assertThat(attempt.session().awaitError().getFirst("code")).as(token)
				.isIn("unauthorized", "room-not-found");
		}
	}

	@Test
	void connectWithAuthorizationBearerHeaderThenConnected() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember ann = this.api.join(room.code(), "Ann");
		StompHeaders headers = new StompHeaders();
		headers.add("Authorization", "Bearer " + ann.token());

		Session a = this.live.connect(new WebSocketHttpHeaders(), headers);

		assertThat(a.join(room.code()).path("snapshot").path("code").asString()).isEqualTo(room.code());
	}

	@Test
	void memberOfOneRoomSubscribingToAnotherThenErrorFrameAndClosed() {
		CreatedRoom x = this.api.createRoom();
		CreatedRoom y = this.api.createRoom();
		JoinedMember ann = this.api.join(x.code(), "Ann");
		Session a = this.live.connect(ann.token());

		a.subscribe("/topic/rooms/" + y.code());

		assertThat(a.awaitError().getFirst("code")).isEqualTo("forbidden");
		a.awaitDisconnected();
	}

	@Test
	void subscribeToAnUnknownDestinationThenErrorFrame() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember ann = this.api.join(room.code(), "Ann");
		Session a = this.live.connect(ann.token());

		a.subscribe("/queue/everything");

		assertThat(a.awaitError().getFirst("code")).isEqualTo("forbidden");
		a.awaitDisconnected();
	}

	@Test
	void sendToTopicUserQueueOtherRoomOrUnknownActionThenErrorEventAndNothingHappens() {
		CreatedRoom room = this.api.createRoom();
		CreatedRoom other = this.api.createRoom();
		AnnAndBob members = connectAnnAndBob(room);
		Session a = members.a();
		Session b = members.b();
		Map<String, Object> fake = Map.of("type", "closed", "room", room.code(), "reason", "owner");

		a.send("/topic/rooms/" + room.code(), fake);
		a.send("/user/queue/room", fake);
		a.send("/app/rooms/" + other.code() + "/state", Map.of("patch", Map.of("x", 1)));
		a.send("/app/rooms/" + room.code() + "/nope", Map.of());
		a.send("/app/rooms/" + room.code() + "/broadcast", Map.of("data", "still here"));

		b.awaitRoom("message");
		await().atMost(LiveClient.TIMEOUT)
			.until(() -> a.userEvents().stream().filter((e) -> "error".equals(e.type())).count() == 4);
		List<JsonNode> errors = a.userEvents()
			.stream()
			.filter((e) -> "error".equals(e.type()))
			.map(Received::body)
			.toList();
		assertThat(errors).extracting((error) -> error.path("code").asString())
			.containsExactly("forbidden", "forbidden", "forbidden", "not-found");
		assertThat(errors).extracting((error) -> error.path("destination").asString())
			.containsExactly("/topic/rooms/" + room.code(), "/user/queue/room", "/app/rooms/" + other.code() + "/state",
					"/app/rooms/" + room.code() + "/nope");
		assertThat(errors.get(0).path("message").asString()).isNotBlank();
		assertThat(errors.get(0).path("room").asString()).isEqualTo(room.code());
		assertThat(types(b.roomEvents())).containsExactly("message");
		assertThat(this.api.get("/api/rooms/" + other.code(), other.ownerToken()).body().path("version").asLong())
			.isZero();
		assertThat(a.isConnected()).isTrue();
	}

	@Test
	void selectorHeaderIsNeverEvaluated() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember ann = this.api.join(room.code(), "Ann");
		Session a = this.live.connect(ann.token());
		a.subscribe("/user/queue/room");
		StompHeaders selector = new StompHeaders();
		selector.add("selector", "T(java.lang.System).setProperty('roomkeeper.selector.evaluated', 'yes') != null"
				+ " and headers['nothing'] == 'matches'");

		a.subscribe("/topic/rooms/" + room.code(), selector);
		a.awaitUser("snapshot");
		a.send(broadcast(room), Map.of("data", 1));

		a.awaitRoom("message");
		assertThat(System.getProperty("roomkeeper.selector.evaluated")).isNull();
	}

	@Test
	void invalidJsonOrWrongTypesThenInvalidRequestErrorEventAndTheConnectionStays() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember ann = this.api.join(room.code(), "Ann");
		Session a = this.live.connect(ann.token());
		a.join(room.code());

		a.sendRaw(state(room), "{\"patch\": ".getBytes(java.nio.charset.StandardCharsets.UTF_8));
		a.send(state(room), Map.of("patch", 5));
		a.send(state(room), List.of(1, 2));
		a.send("/app/rooms/" + room.code() + "/presence", Map.of("metadata", "not an object"));
		a.send(broadcast(room), Map.of("nodata", true));
		a.send(state(room), Map.of("patch", Map.of("x", 1), "baseVersion", 7));
		a.send(state(room), Map.of("patch", Map.of("x", 1), "baseVersion", 0));

		a.awaitRoom("state");
		List<JsonNode> errors = a.userEvents()
			.stream()
			.filter((e) -> "error".equals(e.type()))
			.map(Received::body)
			.toList();
		assertThat(errors).extracting((error) -> error.path("code").asString())
			.containsExactly("invalid-request", "invalid-request", "invalid-request", "invalid-request",
					"invalid-request", "version-conflict");
		assertThat(errors.get(1).path("message").asString()).contains("patch");
		assertThat(a.isConnected()).isTrue();
	}

	@Test
	void bareOwnerTokenConnectsAsTheOwnerWithoutPresence() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember ann = this.api.join(room.code(), "Ann");
		Session a = this.live.connect(ann.token());
		a.join(room.code());
		Session owner = this.live.connect(room.ownerToken());
		JsonNode snapshot = owner.join(room.code());

		owner.send(state(room), Map.of("patch", Map.of("by", "owner")));
		owner.send("/app/rooms/" + room.code() + "/presence", Map.of("metadata", Map.of("x", 1)));
		owner.send(broadcast(room), Map.of("data", "hello"));

		assertThat(a.awaitRoom("state").body().path("by").asString()).isEqualTo("owner");
		assertThat(a.awaitRoom("message").body().path("from").asString()).isEqualTo("owner");
		assertThat(owner.awaitUser("error").body().path("code").asString()).isEqualTo("forbidden");
		assertThat(types(a.roomEvents())).containsExactly("state", "message");
		assertThat(snapshot.path("seq").asLong()).isEqualTo(a.roomEvents().get(0).seq() - 1);
	}

	@Test
	void keepAliveRaisesNoEventAndSnapshotOnRequestIsFresh() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember ann = this.api.join(room.code(), "Ann");
		Session a = this.live.connect(ann.token());
		JsonNode first = a.join(room.code());
		this.api.post("/api/rooms/" + room.code() + "/state", Map.of("patch", Map.of("q", 9)), ann.token())
			.expectStatus(200);
		a.awaitRoom("state");

		a.send("/app/rooms/" + room.code() + "/keep-alive", Map.of());
		a.send("/app/rooms/" + room.code() + "/snapshot", Map.of());

		await().atMost(LiveClient.TIMEOUT)
			.until(() -> a.userEvents().stream().filter((e) -> "snapshot".equals(e.type())).count() == 2);
		JsonNode fresh = a.awaitUser("snapshot").body();
		assertThat(fresh.path("seq").asLong()).isEqualTo(first.path("seq").asLong() + 1);
		assertThat(fresh.path("snapshot").path("state").path("q").asInt()).isEqualTo(9);
		assertThat(java.time.Instant.parse(fresh.path("snapshot").path("lastActivityAt").asString()))
			.isAfterOrEqualTo(java.time.Instant.parse(first.path("snapshot").path("lastActivityAt").asString()));
		assertThat(types(a.roomEvents())).containsExactly("state");
	}

	@Test
	void broadcastOfAnObjectReachesTheOthersAsItWasSentAndAScalarAsItsValue() {
		CreatedRoom room = this.api.createRoom();
		AnnAndBob members = connectAnnAndBob(room);
		Session a = members.a();
		Session b = members.b();

		a.sendRaw(broadcast(room), "{\"data\":{\"n\":1.0e2,\"s\":\"\\u00e9\",\"list\":[1, 2]}}"
			.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		Received object = b.awaitRoom("message");
		a.sendRaw(broadcast(room), "{\"data\":1.0e2}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

		assertThat(object.text()).contains("\"data\":{\"n\":1.0e2,\"s\":\"\\u00e9\",\"list\":[1, 2]}");
		assertThat(object.body().path("data").path("s").asString()).isEqualTo("é");
		Received scalar = b.awaitRoom((event) -> event.seq() == object.seq() + 1);
		assertThat(scalar.body().path("data").asDouble()).isEqualTo(100.0);
		JsonNode history = this.api
			.get("/api/rooms/" + room.code() + "/events?since=" + (object.seq() - 1), members.bob().token())
			.body();
		assertThat(history.path("events").get(0).path("data").path("list").get(1).asInt()).isEqualTo(2);
	}

	@Test
	void broadcastHoldingALoneSurrogateIsRefusedWithAnErrorEventAndBreaksNoConnection() {
		CreatedRoom room = this.api.createRoom();
		AnnAndBob members = connectAnnAndBob(room);
		Session a = members.a();
		Session b = members.b();

		a.sendRaw(broadcast(room), "{\"data\":\"x\\ud83d\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		a.send(broadcast(room), Map.of("data", "next"));

		b.awaitRoom((event) -> "next".equals(event.body().path("data").asString()));
		assertThat(types(b.roomEvents())).containsExactly("message");
		assertThat(a.awaitUser("error").body().path("code").asString()).isEqualTo("invalid-request");
		assertThat(a.isConnected()).isTrue();
		assertThat(b.isConnected()).isTrue();
	}

	@Test
	void messagesInAndOutAreCountedAndConnectionsAreCounted() {
		CreatedRoom room = this.api.createRoom();
		AnnAndBob members = connectAnnAndBob(room);
		Session a = members.a();
		Session b = members.b();
		assertThat(this.liveConnections.total()).isGreaterThanOrEqualTo(2);
		assertThat(this.liveConnections.inRoom(room.code())).isEqualTo(2);
		double in = this.meters.get("roomkeeper.messages.in").counter().count();
		double out = this.meters.get("roomkeeper.messages.out").counter().count();

		for (int i = 0; i < 3; i++) {
			a.send(broadcast(room), Map.of("data", i));
		}

		await().atMost(LiveClient.TIMEOUT).until(() -> b.roomEvents().size() == 3 && a.roomEvents().size() >= 3);
		assertThat(this.meters.get("roomkeeper.messages.in").counter().count() - in).isEqualTo(3);
		await().atMost(LiveClient.TIMEOUT)
			.until(() -> this.meters.get("roomkeeper.messages.out").counter().count() - out >= 6);
		b.disconnect();
		await().atMost(LiveClient.TIMEOUT).until(() -> this.liveConnections.inRoom(room.code()) == 1);
	}

	@Test
	void tomcatTakesFarMoreConnectionsThanItsDefaultOf8192() {
		TomcatWebServer server = (TomcatWebServer) this.context.getWebServer();

		Object maxConnections = server.getTomcat().getConnector().getProperty("maxConnections");

		assertThat(Integer.parseInt(String.valueOf(maxConnections))).isGreaterThanOrEqualTo(100_000);
	}

	/** Ann and Bob, joined over REST, each connected and in the room's channel. */
	private AnnAndBob connectAnnAndBob(CreatedRoom room) {
		JoinedMember ann = this.api.join(room.code(), "Ann");
		JoinedMember bob = this.api.join(room.code(), "Bob");
		Session a = this.live.connect(ann.token());
		a.join(room.code());
		Session b = this.live.connect(bob.token());
		b.join(room.code());
		return new AnnAndBob(ann, bob, a, b);
	}

	private record AnnAndBob(JoinedMember ann, JoinedMember bob, Session a, Session b) {
	}

	private static String state(CreatedRoom room) {
		return "/app/rooms/" + room.code() + "/state";
	}

	private static String broadcast(CreatedRoom room) {
		return "/app/rooms/" + room.code() + "/broadcast";
	}

	private static List<String> types(List<Received> events) {
		return events.stream().map(Received::type).toList();
	}

}
