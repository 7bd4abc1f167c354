package dev.roomkeeper.lifecycle;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.web.socket.WebSocketHttpHeaders;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.LiveClient;
import dev.roomkeeper.support.LiveClient.Received;
import dev.roomkeeper.support.LiveClient.Session;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lifecycle in real time on a real server with a real STOMP client, and tiny
 * durations: idle 3 s, warning 2 s before, a sweep every 200 ms.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "rooms.store.type=memory",
		"rooms.idle-timeout=3s", "rooms.warning-before=2s", "rooms.sweep-interval=200ms" })
class RoomLifecycleIntegrationTests {

	@LocalServerPort
	int port;

	private ApiClient api;

	private LiveClient live;

	@BeforeEach
	void connect() {
		this.api = new ApiClient(this.port);
		this.live = new LiveClient(this.port);
	}

	@AfterEach
	void disconnect() {
		this.live.close();
	}

	@Test
	void idleRoomSendsWarningThenClosedToSubscribersThenRestAnswersNotFound() {
		ApiClient.CreatedRoom room = this.api.createRoom();
		ApiClient.JoinedMember ann = this.api.join(room.code(), "Ann");
		Instant expiresAt = Instant.parse(ann.response().body().get("room").get("expiresAt").asString());
		Session session = this.live.connect(ann.token());
		long seq = session.join(room.code()).path("snapshot").path("seq").asLong();

		// an open connection is not activity: the room idles out with Ann connected
		Received closed = session.awaitRoom("closed");

		List<Received> lifecycle = session.roomEvents()
			.stream()
			.filter((event) -> List.of("warning", "closed").contains(event.type()))
			.toList();
		assertThat(lifecycle).extracting(Received::type).containsExactly("warning", "closed");
		JsonNode warning = lifecycle.get(0).body();
		assertThat(warning.path("room").asString()).isEqualTo(room.code());
		assertThat(Instant.parse(warning.path("closesAt").asString())).isEqualTo(expiresAt);
		assertThat(warning.path("secondsRemaining").asLong()).isBetween(1L, 2L);
		assertThat(Instant.parse(warning.path("at").asString())).isBetween(expiresAt.minusSeconds(2), expiresAt);
		assertThat(lifecycle.get(0).seq()).isEqualTo(seq + 1);
		assertThat(closed.body().path("reason").asString()).isEqualTo("inactivity");
		assertThat(closed.seq()).isEqualTo(seq + 2);
		assertThat(Instant.parse(closed.body().path("at").asString())).isAfterOrEqualTo(expiresAt);

		session.awaitDisconnected();
		ApiClient.Response summary = this.api.get("/api/rooms/" + room.code());
		assertThat(summary.status()).isEqualTo(404);
		assertThat(summary.code()).isEqualTo("room-not-found");
		assertThat(this.api.post("/api/rooms/" + room.code() + "/keep-alive", null, ann.token()).code())
			.isEqualTo("room-not-found");
		StompHeaders token = new StompHeaders();
		token.add("token", ann.token());
		assertThat(this.live.tryConnect(new WebSocketHttpHeaders(), token).refused()).isTrue();
	}

}
