package dev.roomkeeper.history;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
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

/** With {@code rooms.history.size=0} nothing is kept: resuming always gets a snapshot. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "rooms.store.type=memory", "rooms.history.size=0" })
class HistoryOffIntegrationTests {

	@LocalServerPort
	int port;

	LiveClient live;

	@AfterEach
	void tearDown() {
		if (this.live != null) {
			this.live.close();
		}
	}

	@Test
	void historyOffThenResumeGetsASnapshotAndTheEventsEndpointHoldsNothing() {
		ApiClient api = new ApiClient(this.port);
		this.live = new LiveClient(this.port);
		CreatedRoom room = api.createRoom();
		JoinedMember ann = api.join(room.code(), "Ann");
		Session a = this.live.connect(ann.token());
		JsonNode snapshot = a.join(room.code());
		a.send("/app/rooms/" + room.code() + "/broadcast", Map.of("data", "x"));
		long seq = a.awaitRoom("message").seq();

		Session again = this.live.connect(ann.token());
		HistoryRecoveryIntegrationTests.resume(again, room.code(), seq, snapshot.path("epoch").asString());
		again.awaitUser("snapshot");
		assertThat(again.userEvents()).extracting(Received::type).containsExactly("snapshot");

		JsonNode events = api.get("/api/rooms/" + room.code() + "/events?since=0", ann.token())
			.expectStatus(200)
			.body();
		assertThat(events.path("events").size()).isZero();
		assertThat(events.path("complete").asBoolean()).isFalse();
	}

}
