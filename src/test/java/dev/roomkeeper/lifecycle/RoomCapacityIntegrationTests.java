package dev.roomkeeper.lifecycle;

import java.time.Clock;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomService;
import dev.roomkeeper.room.event.ClosedEvent;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.store.ChangeResult;
import dev.roomkeeper.store.Durability;
import dev.roomkeeper.store.RoomRepository;
import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.RecordedEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** {@code rooms.max-rooms} over real HTTP: eviction, and {@code capacity}. */
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

	@Autowired
	Clock clock;

	private RecordedEvents events;

	private ApiClient api;

	@BeforeEach
	void startEmpty() {
		for (Room room : this.repository.findAll()) {
			this.rooms.close(room.code(), "admin");
		}
		this.events = new RecordedEvents(this.eventBus);
		this.api = new ApiClient(this.port);
	}

	@AfterEach
	void stopListening() {
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
	void createAtMaxRoomsWhenEveryRoomHasConnectedMemberThenCapacityWithRetryAfter() {
		for (int i = 0; i < 2; i++) {
			ApiClient.CreatedRoom room = this.api.createRoom();
			connect(room.code(), this.api.join(room.code(), "Ann").memberId());
		}

		ApiClient.Response refused = this.api.post("/api/rooms", Map.of());

		assertThat(refused.status()).isEqualTo(503);
		assertThat(refused.contentType()).startsWith("application/problem+json");
		assertThat(refused.code()).isEqualTo("capacity");
		assertThat(refused.headers().firstValue("Retry-After"))
			.hasValueSatisfying((seconds) -> assertThat(Integer.parseInt(seconds)).isPositive());
		assertThat(this.events.ofType(ClosedEvent.class)).isEmpty();
		assertThat(this.repository.count()).isEqualTo(2);
	}

	/** Marks a member connected, as the live API does when its first connection opens. */
	private void connect(String code, String memberId) {
		this.repository.update(code,
				(room) -> ChangeResult
					.save(room.withMember(memberId, (member) -> member.withPresence(true, this.clock.instant())), true),
				Durability.DURABLE);
	}

}
