package dev.roomkeeper.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.room.RoomService;
import dev.roomkeeper.room.event.ClosedEvent;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.LiveClient.Session;
import dev.roomkeeper.support.LiveClient;
import dev.roomkeeper.support.RecordedEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * {@code rooms.max-rooms} over real HTTP, with members connected over real STOMP:
 * eviction, and {@code capacity}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "rooms.store.type=memory", "rooms.max-rooms=2" })
class RoomCapacityIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	RoomEventBus eventBus;

	@Autowired
	RoomRepository repository;

	@Autowired
	RoomService rooms;

	private RecordedEvents events;

	private ApiClient api;

	private LiveClient live;

	@BeforeEach
	void startEmpty() {
		for (Room room : this.repository.findAll()) {
			this.rooms.close(room.code(), "admin");
		}
		this.events = new RecordedEvents(this.eventBus);
		this.api = new ApiClient(this.port);
		this.live = new LiveClient(this.port);
	}

	@AfterEach
	void stop() {
		this.live.close();
		this.events.close();
	}

	@Test
	void createAtMaxRoomsEvictsLeastRecentlyActiveRoom() {
		ApiClient.CreatedRoom first = this.api.createRoom();
		ApiClient.CreatedRoom second = this.api.createRoom();
		this.api.post("/api/rooms/" + first.code() + "/keep-alive", null, first.ownerToken()).expectStatus(204);

		ApiClient.CreatedRoom third = this.api.createRoom();

		assertThat(this.events.ofType(ClosedEvent.class)).extracting(ClosedEvent::room, ClosedEvent::reason)
			.containsExactly(tuple(second.code(), "evicted"));
		assertThat(this.api.get("/api/rooms/" + second.code()).code()).isEqualTo("room-not-found");
		this.api.get("/api/rooms/" + first.code()).expectStatus(200);
		this.api.get("/api/rooms/" + third.code()).expectStatus(200);
	}

	@Test
	void createAtMaxRoomsWhenEveryRoomHasConnectedMemberThenCapacityUntilOneDisconnects() {
		List<String> codes = new ArrayList<>();
		List<Session> sessions = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			ApiClient.CreatedRoom room = this.api.createRoom();
			Session session = this.live.connect(this.api.join(room.code(), "Ann").token());
			session.join(room.code());
			awaitConnectedCount(room.code(), 1);
			codes.add(room.code());
			sessions.add(session);
		}

		ApiClient.Response refused = this.api.post("/api/rooms", Map.of());

		assertThat(refused.status()).isEqualTo(503);
		assertThat(refused.contentType()).startsWith("application/problem+json");
		assertThat(refused.code()).isEqualTo("capacity");
		assertThat(refused.headers().firstValue("Retry-After"))
			.hasValueSatisfying((seconds) -> assertThat(Integer.parseInt(seconds)).isPositive());
		assertThat(this.events.ofType(ClosedEvent.class)).isEmpty();
		assertThat(this.repository.count()).isEqualTo(2);

		sessions.get(1).disconnect();
		awaitConnectedCount(codes.get(1), 0);
		this.api.createRoom();
		assertThat(this.events.ofType(ClosedEvent.class)).extracting(ClosedEvent::room, ClosedEvent::reason)
			.containsExactly(tuple(codes.get(1), "evicted"));
		assertThat(sessions.get(0).roomEvents()).extracting(LiveClient.Received::type).doesNotContain("closed");
	}

	private void awaitConnectedCount(String code, long count) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.repository.find(code).map(Room::connectedCount).orElse(-1L) == count);
	}

}
