package dev.roomkeeper.lifecycle;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.roomkeeper.room.event.ClosedEvent;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.room.event.WarningEvent;
import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.RecordedEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lifecycle in real time on a real server, with tiny durations: idle 3 s, warning 2 s
 * before, a sweep every 200 ms.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "rooms.store.type=memory",
		"rooms.idle-timeout=3s", "rooms.warning-before=2s", "rooms.sweep-interval=200ms" })
class RoomLifecycleIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	RoomEventBus eventBus;

	private RecordedEvents events;

	private ApiClient api;

	@BeforeEach
	void listen() {
		this.events = new RecordedEvents(this.eventBus);
		this.api = new ApiClient(this.port);
	}

	@AfterEach
	void stopListening() {
		this.events.close();
	}

	@Test
	void idleRoomGetsWarningThenClosedThenRestAnswersNotFound() {
		ApiClient.CreatedRoom room = this.api.createRoom();
		ApiClient.JoinedMember ann = this.api.join(room.code(), "Ann");
		Instant lastActivity = Instant.parse(ann.response().body().get("room").get("lastActivityAt").asString());
		Instant expiresAt = Instant.parse(ann.response().body().get("room").get("expiresAt").asString());
		assertThat(expiresAt).isEqualTo(lastActivity.plusSeconds(3));

		await().atMost(Duration.ofSeconds(10)).until(() -> this.events.typesOf(room.code()).contains("closed"));

		assertThat(this.events.typesOf(room.code())).containsExactly("member-joined", "warning", "closed");
		WarningEvent warning = this.events.ofType(WarningEvent.class).get(0);
		assertThat(warning.closesAt()).isEqualTo(expiresAt);
		assertThat(warning.at()).isBetween(expiresAt.minusSeconds(2), expiresAt);
		assertThat(warning.secondsRemaining()).isBetween(1L, 2L);
		ClosedEvent closed = this.events.ofType(ClosedEvent.class).get(0);
		assertThat(closed.reason()).isEqualTo("inactivity");
		assertThat(closed.at()).isAfterOrEqualTo(expiresAt);

		ApiClient.Response summary = this.api.get("/api/rooms/" + room.code());
		assertThat(summary.status()).isEqualTo(404);
		assertThat(summary.code()).isEqualTo("room-not-found");
		assertThat(this.api.post("/api/rooms/" + room.code() + "/keep-alive", null, ann.token()).code())
			.isEqualTo("room-not-found");
	}

}
