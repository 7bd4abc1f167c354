package dev.roomkeeper.history;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.LiveClient;
import dev.roomkeeper.support.LiveClient.Received;
import dev.roomkeeper.support.LiveClient.Session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Missed-event recovery over a real WebSocket: a member that reconnects with
 * {@code since-seq} and {@code epoch} gets exactly the events a connected member saw
 * meanwhile, then {@code recovered}, then live events; otherwise a snapshot. And the REST
 * twin, {@code GET /api/rooms/{code}/events}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "rooms.store.type=memory",
		"rooms.history.size=20", "rooms.limits.failed-joins-per-minute=100000" })
class HistoryRecoveryIntegrationTests {

	@LocalServerPort
	int port;

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
	void reconnectAfterFiveSecondsAwayThenExactlyTheMissedEventsThenRecoveredThenLiveEvents() {
		CreatedRoom room = this.api.createRoom(Map.of("state", Map.of("round", 1)));
		JoinedMember ann = this.api.join(room.code(), "Ann");
		JoinedMember bob = this.api.join(room.code(), "Bob");
		JoinedMember cat = this.api.join(room.code(), "Cat");
		Session watcher = this.live.connect(cat.token());
		watcher.join(room.code());
		Session a = this.live.connect(ann.token());
		a.join(room.code());
		Session b = this.live.connect(bob.token());
		JsonNode snapshot = b.join(room.code());
		String epoch = snapshot.path("epoch").asString();
		assertThat(epoch).isNotEmpty().isEqualTo(snapshot.path("snapshot").path("epoch").asString());
		b.send(topicAction(room, "broadcast"), Map.of("data", Map.of("text", "bye for now")));
		long since = b.awaitRoom("message").seq();

		b.disconnect();
		watcher.awaitRoom((event) -> "member-disconnected".equals(event.type())
				&& bob.memberId().equals(event.body().path("memberId").asString()));
		a.send(topicAction(room, "broadcast"), Map.of("data", Map.of("text", "where is Bob?")));
		a.send(topicAction(room, "state"), Map.of("patch", Map.of("round", 2)));
		a.send(topicAction(room, "presence"), Map.of("metadata", Map.of("cursor", 7)));
		a.send(topicAction(room, "broadcast"), Map.of("data", Map.of("text", "round two")));
		long lastMissed = watcher
			.awaitRoom((event) -> "message".equals(event.type())
					&& "round two".equals(event.body().path("data").path("text").asString()))
			.seq();
		// The member stays away for a while, as a phone in a tunnel would.
		await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);

		Session back = this.live.connect(bob.token());
		resume(back, room.code(), since, epoch);
		Received recovered = back.awaitUser("recovered");
		a.send(topicAction(room, "broadcast"), Map.of("data", Map.of("text", "welcome back")));
		long live = watcher
			.awaitRoom((event) -> "welcome back".equals(event.body().path("data").path("text").asString()))
			.seq();
		back.awaitRoom((event) -> event.seq() == live);

		List<JsonNode> seenByWatcher = bodiesAfter(watcher, since);
		assertThat(bodies(back)).isEqualTo(seenByWatcher);
		assertThat(seenByWatcher.stream().map((event) -> event.path("type").asString())).containsSubsequence(
				"member-disconnected", "message", "state", "presence", "message", "member-connected", "message");
		assertThat(back.userEvents()).extracting(Received::type).containsExactly("recovered");
		assertThat(recovered.body().path("fromSeq").asLong()).isEqualTo(since + 1);
		assertThat(recovered.body().path("toSeq").asLong()).isGreaterThanOrEqualTo(lastMissed);
		long recoveredCount = back.roomEvents()
			.stream()
			.filter((event) -> event.seq() <= recovered.body().path("toSeq").asLong())
			.count();
		assertThat(recovered.body().path("count").asLong()).isEqualTo(recoveredCount)
			.isEqualTo(recovered.body().path("toSeq").asLong() - since);
	}

	@Test
	void resumeWhenNothingWasMissedThenRecoveredWithCountZero() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember ann = this.api.join(room.code(), "Ann");
		JoinedMember bob = this.api.join(room.code(), "Bob");
		Session a = this.live.connect(ann.token());
		JsonNode snapshot = a.join(room.code());
		Session b = this.live.connect(bob.token());
		long seq = a.awaitRoom("member-connected").seq();

		Session again = this.live.connect(bob.token());
		resume(again, room.code(), seq, snapshot.path("epoch").asString());
		Received recovered = again.awaitUser("recovered");
		assertThat(recovered.body().path("count").asInt()).isZero();
		assertThat(recovered.body().path("toSeq").asLong()).isEqualTo(seq);
		assertThat(again.roomEvents()).isEmpty();
		b.send(topicAction(room, "broadcast"), Map.of("data", 1));
		assertThat(again.awaitRoom("message").seq()).isEqualTo(seq + 1);
		assertThat(again.roomEvents()).hasSize(1);
	}

	@Test
	void gapLargerThanTheHistoryThenSnapshot() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember ann = this.api.join(room.code(), "Ann");
		JoinedMember bob = this.api.join(room.code(), "Bob");
		Session a = this.live.connect(ann.token());
		JsonNode snapshot = a.join(room.code());
		for (int i = 0; i < 25; i++) {
			a.send(topicAction(room, "broadcast"), Map.of("data", i));
		}
		a.awaitRoom((event) -> event.body().path("data").asInt(-1) == 24);

		Session b = this.live.connect(bob.token());
		resume(b, room.code(), snapshot.path("seq").asLong(), snapshot.path("epoch").asString());
		JsonNode fresh = b.awaitUser("snapshot").body();
		assertThat(fresh.path("seq").asLong()).isGreaterThanOrEqualTo(snapshot.path("seq").asLong() + 25);
		assertThat(b.userEvents()).extracting(Received::type).containsExactly("snapshot");
		assertThat(b.roomEvents())
			.allSatisfy((event) -> assertThat(event.seq()).isGreaterThan(fresh.path("seq").asLong()));
	}

	@Test
	void wrongEpochThenSnapshot() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember ann = this.api.join(room.code(), "Ann");
		Session a = this.live.connect(ann.token());
		JsonNode snapshot = a.join(room.code());
		a.send(topicAction(room, "broadcast"), Map.of("data", "x"));
		a.awaitRoom("message");

		Session again = this.live.connect(ann.token());
		resume(again, room.code(), snapshot.path("seq").asLong(), "not-" + snapshot.path("epoch").asString());
		again.awaitUser("snapshot");
		assertThat(again.userEvents()).extracting(Received::type).containsExactly("snapshot");
		assertThat(again.roomEvents()).isEmpty();
	}

	@Test
	void malformedSinceSeqThenErrorEventAndSnapshotAndTheConnectionStaysOpen() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember ann = this.api.join(room.code(), "Ann");
		Session a = this.live.connect(ann.token());
		a.subscribe("/user/queue/room");
		org.springframework.messaging.simp.stomp.StompHeaders headers = new org.springframework.messaging.simp.stomp.StompHeaders();
		headers.set("since-seq", "soon");
		headers.set("epoch", "abc");
		a.subscribe("/topic/rooms/" + room.code(), headers);
		a.awaitUser("snapshot");
		assertThat(a.userEvents()).extracting(Received::type).containsExactly("error", "snapshot");
		assertThat(a.userEvents().get(0).body().path("code").asString()).isEqualTo("invalid-request");
		assertThat(a.isConnected()).isTrue();
	}

	@Test
	void eventsEndpointPagesForwardAndSaysWhenEventsAreNoLongerHeld() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember ann = this.api.join(room.code(), "Ann");
		for (int i = 0; i < 30; i++) {
			this.api.post("/api/rooms/" + room.code() + "/state", Map.of("patch", Map.of("n", i)), ann.token())
				.expectStatus(200);
		}
		String path = "/api/rooms/" + room.code() + "/events";
		JsonNode latest = this.api.get(path + "?limit=5", ann.token()).expectStatus(200).body();
		long seq = latest.path("seq").asLong();
		// member-joined is seq 1, the 30 state changes 2 to 31
		assertThat(seq).isEqualTo(31);
		assertThat(latest.path("epoch").asString()).isNotEmpty();
		assertThat(latest.path("complete").asBoolean()).isTrue();
		assertThat(seqs(latest)).containsExactly(27L, 28L, 29L, 30L, 31L);
		assertThat(latest.path("events").get(4).path("patch").path("n").asInt()).isEqualTo(29);

		JsonNode page = this.api.get(path + "?since=20&limit=4", ann.token()).expectStatus(200).body();
		assertThat(seqs(page)).containsExactly(21L, 22L, 23L, 24L);
		assertThat(page.path("complete").asBoolean()).isTrue();
		JsonNode rest = this.api.get(path + "?since=24", ann.token()).expectStatus(200).body();
		assertThat(seqs(rest)).containsExactly(25L, 26L, 27L, 28L, 29L, 30L, 31L);
		assertThat(rest.path("complete").asBoolean()).isTrue();
		JsonNode current = this.api.get(path + "?since=31", room.ownerToken()).expectStatus(200).body();
		assertThat(current.path("events").size()).isZero();
		assertThat(current.path("complete").asBoolean()).isTrue();

		JsonNode cut = this.api.get(path + "?since=2", ann.token()).expectStatus(200).body();
		assertThat(cut.path("complete").asBoolean()).isFalse();
		assertThat(seqs(cut)).hasSize(20).startsWith(12L);
		assertThat(this.api.get(path + "?since=99", ann.token()).expectStatus(200).body().path("complete").asBoolean())
			.isFalse();
	}

	@Test
	void eventsEndpointWithoutATokenOrWithBadParametersThenProblems() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember ann = this.api.join(room.code(), "Ann");
		String path = "/api/rooms/" + room.code() + "/events";
		assertThat(this.api.get(path).expectStatus(401).code()).isEqualTo("unauthorized");
		assertThat(this.api.get(path, "XYZ.nope").status()).isIn(401, 404);
		for (String bad : List.of("?limit=0", "?limit=1001", "?limit=ten", "?since=-1", "?since=x")) {
			ApiClient.Response response = this.api.get(path + bad, ann.token()).expectStatus(400);
			assertThat(response.code()).isEqualTo("invalid-request");
			assertThat(response.contentType()).startsWith("application/problem+json");
		}
		assertThat(this.api.get(path + "?limit=1000", ann.token()).status()).isEqualTo(200);
		assertThat(this.api.get("/api/rooms/NOSUCH/events", ann.token()).expectStatus(404).code())
			.isEqualTo("room-not-found");
	}

	@Test
	void fullRoomViewCarriesTheEpoch() {
		CreatedRoom room = this.api.createRoom();
		JsonNode view = this.api.get("/api/rooms/" + room.code(), room.ownerToken()).expectStatus(200).body();
		assertThat(view.path("epoch").asString()).isNotEmpty();
		assertThat(room.response().body().path("room").path("epoch").asString())
			.isEqualTo(view.path("epoch").asString());
	}

	static void resume(Session session, String code, long since, String epoch) {
		session.subscribe("/user/queue/room");
		org.springframework.messaging.simp.stomp.StompHeaders headers = new org.springframework.messaging.simp.stomp.StompHeaders();
		headers.set("since-seq", Long.toString(since));
		headers.set("epoch", epoch);
		session.subscribe("/topic/rooms/" + code, headers);
	}

	static List<JsonNode> bodies(Session session) {
		return session.roomEvents().stream().map(Received::body).toList();
	}

	static List<JsonNode> bodiesAfter(Session session, long since) {
		return session.roomEvents().stream().filter((event) -> event.seq() > since).map(Received::body).toList();
	}

	private static List<Long> seqs(JsonNode page) {
		return java.util.stream.StreamSupport.stream(page.path("events").spliterator(), false)
			.map((event) -> event.path("seq").asLong())
			.toList();
	}

	private static String topicAction(CreatedRoom room, String action) {
		return "/app/rooms/" + room.code() + "/" + action;
	}

}
