package dev.roomkeeper.live;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.web.socket.WebSocketHttpHeaders;

import dev.roomkeeper.room.LiveConnections;
import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.LiveClient;
import dev.roomkeeper.support.LiveClient.Received;
import dev.roomkeeper.support.LiveClient.Session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live API over a real WebSocket with Spring's STOMP client: events, seq, snapshots,
 * presence, reconnection, REST and STOMP mixed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "rooms.store.type=memory", "rooms.limits.failed-joins-per-minute=100000" })
class LiveApiIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	LiveConnections liveConnections;

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

}
