package dev.roomkeeper.store.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.LiveClient;
import dev.roomkeeper.support.LiveClient.Received;
import dev.roomkeeper.support.LiveClient.Session;
import dev.roomkeeper.support.RunningApp;
import dev.roomkeeper.support.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Members connected over STOMP to two different servers on one Redis: they see each
 * other's state, broadcasts and presence with a gap-free seq, and when one server stops,
 * its member reconnects to the other with the same token and finds everything.
 */
class RedisLiveMultiInstanceIntegrationTests {

	private final String prefix = TestRedis.uniquePrefix(RedisLiveMultiInstanceIntegrationTests.class);

	private final List<AutoCloseable> resources = new ArrayList<>();

	/** Properties of both servers beyond the Redis store's. */
	protected List<String> serverProperties() {
		return List.of();
	}

	private RunningApp start() {
		List<String> properties = new ArrayList<>(List.of("rooms.store.type=redis",
				"spring.data.redis.url=" + TestRedis.url(), "rooms.store.redis.key-prefix=" + this.prefix));
		properties.addAll(serverProperties());
		RunningApp app = RunningApp.start(properties.toArray(new String[0]));
		this.resources.add(app);
		return app;
	}

	private LiveClient live(RunningApp app) {
		LiveClient client = new LiveClient(app.port());
		this.resources.add(0, client);
		return client;
	}

	@AfterEach
	void stop() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
		LettuceConnectionFactory connectionFactory = TestRedis.connectionFactory();
		TestRedis.deleteKeys(connectionFactory, this.prefix);
		connectionFactory.destroy();
	}

	@Test
	void membersOnTwoServersExchangeEventsWithGapFreeSeqAndReconnectToTheOtherWhenTheirsStops() {
		RunningApp a = start();
		RunningApp b = start();
		CreatedRoom room = a.api().createRoom(Map.of("state", Map.of("round", 1)));
		String code = room.code();
		JoinedMember ann = a.api().join(code, "Ann");
		JoinedMember bob = b.api().join(code, "Bob");

		Session annOnA = live(a).connect(ann.token());
		long start = annOnA.join(code).path("seq").asLong();
		Session bobOnB = live(b).connect(bob.token());
		Received bobConnected = annOnA.awaitRoom("member-connected");
		assertThat(bobConnected.body().path("memberId").asString()).isEqualTo(bob.memberId());
		assertThat(bobConnected.seq()).isEqualTo(start + 1);
		JsonNode snapshotOnB = bobOnB.join(code);
		long base = snapshotOnB.path("seq").asLong();
		assertThat(base).isEqualTo(start + 1);
		assertThat(snapshotOnB.path("snapshot").path("connectedCount").asInt()).isEqualTo(2);

		annOnA.send("/app/rooms/" + code + "/state", Map.of("patch", Map.of("round", 2)));
		bobOnB.send("/app/rooms/" + code + "/broadcast", Map.of("data", Map.of("emoji", "wave")));
		annOnA.send("/app/rooms/" + code + "/presence", Map.of("metadata", Map.of("cursor", 7)));
		bobOnB.send("/app/rooms/" + code + "/state", Map.of("patch", Map.of("score", 3)));

		for (Session session : List.of(annOnA, bobOnB)) {
			try {
				session.awaitRoom((event) -> event.seq() == base + 4);
			}
			catch (Throwable ex) {
				System.out.println("DEBUG base=" + base + " "
						+ session.received().stream().map((r) -> r.destination() + " " + r.body()).toList() + " errors "
						+ session.errors());
				throw ex;
			}
			List<Received> events = session.roomEvents().stream().filter((event) -> event.seq() > base).toList();
			assertThat(events).extracting(Received::seq).containsExactly(base + 1, base + 2, base + 3, base + 4);
			assertThat(events).extracting(Received::type)
				.containsExactlyInAnyOrder("state", "message", "presence", "state");
			assertThat(events.stream()
				.filter((event) -> event.type().equals("message"))
				.findFirst()
				.orElseThrow()
				.body()
				.path("from")
				.asString()).isEqualTo(bob.memberId());
		}

		a.close();

		Received annGone = bobOnB.awaitRoom("member-disconnected");
		assertThat(annGone.body().path("memberId").asString()).isEqualTo(ann.memberId());
		assertThat(annGone.seq()).isEqualTo(base + 5);
		Session annOnB = live(b).connect(ann.token());
		JsonNode snapshot = annOnB.join(code);
		JsonNode stored = snapshot.path("snapshot");
		assertThat(stored.path("members").findValuesAsString("name")).containsExactly("Ann", "Bob");
		assertThat(stored.path("state").toString()).isEqualTo("{\"round\":2,\"score\":3}");
		assertThat(stored.path("version").asLong()).isEqualTo(2);
		assertThat(stored.path("members").get(0).path("metadata").path("cursor").asInt()).isEqualTo(7);
		Received annBack = bobOnB.awaitRoom((event) -> event.type().equals("member-connected")
				&& event.body().path("memberId").asString().equals(ann.memberId()));
		assertThat(annBack.seq()).isEqualTo(base + 6);

		annOnB.send("/app/rooms/" + code + "/broadcast", Map.of("data", "back"));
		Received back = bobOnB.awaitRoom((event) -> event.type().equals("message")
				&& event.body().path("from").asString().equals(ann.memberId()));
		assertThat(back.seq()).isEqualTo(base + 7);
		assertThat(bobOnB.roomEvents().stream().filter((event) -> event.seq() > base).map(Received::seq).toList())
			.containsExactly(base + 1, base + 2, base + 3, base + 4, base + 5, base + 6, base + 7);
	}

}
