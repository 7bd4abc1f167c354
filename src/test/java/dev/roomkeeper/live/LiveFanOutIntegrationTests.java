package dev.roomkeeper.live;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.web.socket.WebSocketHttpHeaders;

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
 * Fan-out correctness under load: 50 rooms of 10 connected members each, every member
 * broadcasting; every member must receive every event of its room exactly once, in
 * {@code seq} order with no gap, and nothing from any other room.
 */
@MemoryStoreServerTest
class LiveFanOutIntegrationTests {

	private static final int ROOMS = 50;

	private static final int MEMBERS = 10;

	private static final int MESSAGES_EACH = 3;

	@LocalServerPort
	int port;

	private final List<Member> members = new ArrayList<>();

	private LiveClient live;

	private record Member(String code, String name, Session session, long snapshotSeq) {
	}

	@AfterEach
	void disconnectEveryone() {
		this.members.forEach((member) -> member.session().disconnect());
		if (this.live != null) {
			this.live.close();
		}
	}

	@Test
	void fiftyRoomsOfTenMembersThenEveryMemberGetsEveryEventOfItsRoomOnceInSeqOrderAndNothingElse() throws Exception {
		ApiClient api = new ApiClient(this.port);
		this.live = new LiveClient(this.port);
		List<Callable<List<Member>>> rooms = new ArrayList<>();
		for (int r = 0; r < ROOMS; r++) {
			String address = "10.7." + r + ".1";
			rooms.add(() -> joinRoom(api, address));
		}
		// Connecting one by one would mostly wait on the client's Nagle delays.
		ExecutorService pool = Executors.newFixedThreadPool(10);
		try {
			for (Future<List<Member>> room : pool.invokeAll(rooms)) {
				this.members.addAll(room.get());
			}
		}
		finally {
			pool.shutdownNow();
		}

		for (int i = 0; i < MESSAGES_EACH; i++) {
			for (Member member : this.members) {
				member.session()
					.send("/app/rooms/" + member.code() + "/broadcast",
							Map.of("data", Map.of("room", member.code(), "from", member.name(), "n", i)));
			}
		}

		await().atMost(java.time.Duration.ofSeconds(60))
			.until(() -> this.members.stream()
				.allMatch((member) -> messages(member).size() >= MEMBERS * MESSAGES_EACH));
		for (Member member : this.members) {
			List<Received> events = member.session().roomEvents();
			assertThat(events).allSatisfy((event) -> {
				assertThat(event.destination()).isEqualTo("/topic/rooms/" + member.code());
				assertThat(event.body().path("room").asString()).isEqualTo(member.code());
			});
			for (int i = 0; i < events.size(); i++) {
				assertThat(events.get(i).seq()).as("seq of event %d of a member of %s", i, member.code())
					.isEqualTo(member.snapshotSeq() + 1 + i);
			}
			Set<String> expected = new HashSet<>();
			this.members.stream().filter((other) -> other.code().equals(member.code())).forEach((other) -> {
				for (int n = 0; n < MESSAGES_EACH; n++) {
					expected.add(other.name() + "/" + n);
				}
			});
			List<String> got = messages(member).stream()
				.map((message) -> message.body().path("data"))
				.peek((data) -> assertThat(data.path("room").asString()).isEqualTo(member.code()))
				.map((data) -> data.path("from").asString() + "/" + data.path("n").asInt())
				.toList();
			assertThat(got).hasSize(expected.size()).containsExactlyInAnyOrderElementsOf(expected);
		}
	}

	private List<Member> joinRoom(ApiClient api, String address) {
		CreatedRoom room = api.createRoom();
		List<Member> joined = new ArrayList<>();
		for (int m = 0; m < MEMBERS; m++) {
			JoinedMember member = api.join(room.code(), "member-" + m);
			Session session = connect(member, address);
			long snapshotSeq = session.join(room.code()).path("seq").asLong();
			joined.add(new Member(room.code(), member.memberId(), session, snapshotSeq));
		}
		return joined;
	}

	private static List<Received> messages(Member member) {
		return member.session().roomEvents().stream().filter((event) -> "message".equals(event.type())).toList();
	}

	private Session connect(JoinedMember member, String address) {
		WebSocketHttpHeaders handshake = new WebSocketHttpHeaders();
		handshake.add("X-Forwarded-For", address);
		StompHeaders headers = new StompHeaders();
		headers.add("token", member.token());
		return this.live.connect(handshake, headers);
	}

}
