package dev.roomkeeper.live;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
import dev.roomkeeper.support.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The abuse limits of the live API, with small limits so they are reached quickly:
 * message size, messages per second, connections per address, the handshake
 * {@code Origin} check, heart-beats, and a client that never reads.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "rooms.store.type=memory", "rooms.limits.failed-joins-per-minute=100000",
				"rooms.limits.message-bytes=1KB", "rooms.limits.messages-per-second=5",
				"rooms.limits.connections-per-address=3", "rooms.limits.send-buffer-bytes=256KB",
				"rooms.allowed-origins=https://good.example", "rooms.live.heartbeat=500ms" })
class LiveLimitsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	LiveConnections liveConnections;

	@Autowired
	LiveConnectionRegistry registry;

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
	void oversizedMessageThenPayloadTooLargeAndTheConnectionStays() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember ann = this.api.join(room.code(), "Ann");
		Session a = connect(ann, "10.0.1.1");
		a.join(room.code());

		a.send(broadcast(room), Map.of("data", "x".repeat(2000)));
		a.send(broadcast(room), Map.of("data", "small"));

		assertThat(a.awaitRoom("message").body().path("data").asString()).isEqualTo("small");
		Received error = a.awaitUser("error");
		assertThat(error.body().path("code").asString()).isEqualTo("payload-too-large");
		assertThat(error.body().path("destination").asString()).isEqualTo(broadcast(room));
		assertThat(a.roomEvents()).hasSize(1);
		assertThat(a.isConnected()).isTrue();
	}

	@Test
	void overRateSendsThenRateLimitedAndTheConnectionStays() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember ann = this.api.join(room.code(), "Ann");
		Session a = connect(ann, "10.0.1.2");
		a.join(room.code());

		for (int i = 0; i < 40; i++) {
			a.send(broadcast(room), Map.of("data", i));
		}

		await().atMost(LiveClient.TIMEOUT).until(() -> a.roomEvents().size() + errors(a, "rate-limited") == 40);
		assertThat(errors(a, "rate-limited")).isGreaterThanOrEqualTo(20);
		// The burst is 5; the two SUBSCRIBEs took two of them.
		assertThat(a.roomEvents().size()).isGreaterThanOrEqualTo(3);
		assertThat(a.isConnected()).isTrue();
		await().atMost(LiveClient.TIMEOUT).untilAsserted(() -> {
			a.send(broadcast(room), Map.of("data", "later"));
			assertThat(a.roomEvents())
				.anySatisfy((event) -> assertThat(event.body().path("data").asString()).isEqualTo("later"));
		});
	}

	@Test
	void foreignOriginIsRefusedAtTheHandshakeWhileAllowedSameAndMissingOriginsConnect() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember ann = this.api.join(room.code(), "Ann");

		try (RawWebSocket evil = RawWebSocket.open(this.port,
				Map.of("Origin", "https://evil.example", "X-Forwarded-For", "10.0.2.1"))) {
			assertThat(evil.status()).isEqualTo(403);
		}
		assertThat(tryConnect(ann, "10.0.2.1", "https://evil.example").refused()).isTrue();
		for (String origin : new String[] { "https://good.example", "http://localhost:" + this.port, null }) {
			LiveClient.Attempt attempt = tryConnect(ann, "10.0.2.2", origin);
			assertThat(attempt.refused()).as(String.valueOf(origin)).isFalse();
			attempt.session().disconnect();
			attempt.session().awaitDisconnected();
		}
	}

	@Test
	void connectionsPerAddressAreLimitedAtTheHandshake() {
		Map<String, String> sameAddress = Map.of("X-Forwarded-For", "10.0.3.1");
		List<RawWebSocket> open = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				open.add(RawWebSocket.open(this.port, sameAddress));
				assertThat(open.get(i).status()).isEqualTo(101);
			}
			// the client reads 101 before the server has counted the connection
			await().atMost(LiveClient.TIMEOUT).until(() -> !this.registry.allows("10.0.3.1"));
			try (RawWebSocket fourth = RawWebSocket.open(this.port, sameAddress)) {
				assertThat(fourth.status()).isEqualTo(429);
			}
			try (RawWebSocket elsewhere = RawWebSocket.open(this.port, Map.of("X-Forwarded-For", "10.0.3.2"))) {
				assertThat(elsewhere.status()).isEqualTo(101);
			}
			open.remove(0).close();
			await().atMost(LiveClient.TIMEOUT).untilAsserted(() -> {
				try (RawWebSocket again = RawWebSocket.open(this.port, sameAddress)) {
					assertThat(again.status()).isEqualTo(101);
				}
			});
		}
		finally {
			open.forEach(RawWebSocket::close);
		}
	}

	@Test
	void clientThatNeverReadsIsCutOffWhileTheOthersKeepReceivingEverything() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember stuck = this.api.join(room.code(), "Stuck");
		JoinedMember bob = this.api.join(room.code(), "Bob");
		Session b = connect(bob, "10.0.4.1");
		b.join(room.code());
		RawWebSocket neverReads = RawWebSocket.open(this.port, Map.of("X-Forwarded-For", "10.0.4.2"), 1024);
		neverReads.sendText("CONNECT\naccept-version:1.2\ntoken:" + stuck.token() + "\n\n\0"
				+ "SUBSCRIBE\nid:0\ndestination:/topic/rooms/" + room.code() + "\n\n\0");
		b.awaitRoom("member-connected");
		String big = "x".repeat(20_000);

		int posted = 0;
		while (posted < 2000 && !sawDisconnected(b, stuck)) {
			this.api
				.post("/api/rooms/" + room.code() + "/state", Map.of("patch", Map.of("big", big + posted)),
						room.ownerToken())
				.expectStatus(200);
			posted++;
		}
		int total = posted;

		await().atMost(LiveClient.TIMEOUT).until(() -> sawDisconnected(b, stuck));
		assertThat(total).isLessThan(2000);
		await().atMost(LiveClient.TIMEOUT).until(() -> stateVersions(b).size() == total);
		assertThat(stateVersions(b)).isEqualTo(java.util.stream.LongStream.rangeClosed(1, total).boxed().toList());
		assertThat(this.liveConnections.inRoom(room.code())).isEqualTo(1);
		neverReads.close();
	}

	@Test
	void silentClientIsClosedAfterThreeMissedHeartbeats() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember ann = this.api.join(room.code(), "Ann");
		try (RawWebSocket raw = RawWebSocket.open(this.port, Map.of("X-Forwarded-For", "10.0.5.1"))) {
			raw.sendText("CONNECT\naccept-version:1.2\nheart-beat:500,0\ntoken:" + ann.token() + "\n\n\0");
			assertThat(raw.readUntil("CONNECTED")).contains("\nheart-beat:500,500\n");

			assertThat(raw.readUntilClosed()).isEmpty();
		}
	}

	@Test
	void serverSendsHeartbeatsWhenAskedAndKeepsAClientThatSendsThem() {
		CreatedRoom room = this.api.createRoom();
		JoinedMember ann = this.api.join(room.code(), "Ann");
		try (RawWebSocket raw = RawWebSocket.open(this.port, Map.of("X-Forwarded-For", "10.0.5.2"))) {
			raw.sendText("CONNECT\naccept-version:1.2\nheart-beat:500,500\ntoken:" + ann.token() + "\n\n\0");
			raw.readUntil("CONNECTED");
			for (int i = 0; i < 6; i++) {
				assertThat(raw.readText()).isEqualTo("\n");
				raw.sendText("\n");
			}
			raw.sendText("SEND\ndestination:/app/rooms/" + room.code() + "/keep-alive\nreceipt:alive\n\n\0");
			raw.readUntil("RECEIPT\nreceipt-id:alive");
		}
	}

	private boolean sawDisconnected(Session session, JoinedMember member) {
		return session.roomEvents()
			.stream()
			.anyMatch((event) -> "member-disconnected".equals(event.type())
					&& member.memberId().equals(event.body().path("memberId").asString()));
	}

	private static List<Long> stateVersions(Session session) {
		return session.roomEvents()
			.stream()
			.filter((event) -> "state".equals(event.type()))
			.map((event) -> event.body().path("version").asLong())
			.toList();
	}

	private static long errors(Session session, String code) {
		return session.userEvents()
			.stream()
			.filter((event) -> "error".equals(event.type()) && code.equals(event.body().path("code").asString()))
			.count();
	}

	private Session connect(JoinedMember member, String address) {
		WebSocketHttpHeaders handshake = new WebSocketHttpHeaders();
		handshake.add("X-Forwarded-For", address);
		StompHeaders headers = new StompHeaders();
		headers.add("token", member.token());
		return this.live.connect(handshake, headers);
	}

	private LiveClient.Attempt tryConnect(JoinedMember member, String address, String origin) {
		WebSocketHttpHeaders handshake = new WebSocketHttpHeaders();
		handshake.add("X-Forwarded-For", address);
		if (origin != null) {
			handshake.setOrigin(origin);
		}
		StompHeaders headers = new StompHeaders();
		headers.add("token", member.token());
		return this.live.tryConnect(handshake, headers);
	}

	private static String broadcast(CreatedRoom room) {
		return "/app/rooms/" + room.code() + "/broadcast";
	}

}
