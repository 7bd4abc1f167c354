package dev.roomkeeper.store.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.LiveClient;
import dev.roomkeeper.support.LiveClient.Received;
import dev.roomkeeper.support.LiveClient.Session;
import dev.roomkeeper.support.RunningApp;
import dev.roomkeeper.support.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recovery on Redis with two servers: a member that was on one server resumes on the
 * other with exactly the missed events; when Redis lost the room's history list, the room
 * gets a new epoch and the member a snapshot.
 */
class RedisHistoryIntegrationTests {

	private final String prefix = TestRedis.uniquePrefix(RedisHistoryIntegrationTests.class);

	private final List<AutoCloseable> resources = new ArrayList<>();

	private RunningApp start() {
		RunningApp app = RunningApp.start("rooms.store.type=redis", "spring.data.redis.url=" + TestRedis.url(),
				"rooms.store.redis.key-prefix=" + this.prefix);
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
	void memberResumesOnTheOtherServerWithExactlyTheMissedEventsAndAfterTheHistoryKeyIsLostGetsASnapshot() {
		RunningApp a = start();
		RunningApp b = start();
		CreatedRoom room = a.api().createRoom(Map.of("state", Map.of("round", 1)));
		String code = room.code();
		JoinedMember ann = a.api().join(code, "Ann");
		JoinedMember bob = a.api().join(code, "Bob");
		JoinedMember cat = b.api().join(code, "Cat");
		Session watcherOnB = live(b).connect(cat.token());
		watcherOnB.join(code);
		Session annOnA = live(a).connect(ann.token());
		annOnA.join(code);
		Session bobOnA = live(a).connect(bob.token());
		JsonNode snapshot = bobOnA.join(code);
		long since = snapshot.path("seq").asLong();
		String epoch = snapshot.path("epoch").asString();

		bobOnA.disconnect();
		watcherOnB.awaitRoom((event) -> "member-disconnected".equals(event.type())
				&& bob.memberId().equals(event.body().path("memberId").asString()));
		annOnA.send("/app/rooms/" + code + "/broadcast", Map.of("data", Map.of("text", "one")));
		annOnA.send("/app/rooms/" + code + "/state", Map.of("patch", Map.of("round", 2)));
		watcherOnB.send("/app/rooms/" + code + "/broadcast", Map.of("data", Map.of("text", "two")));
		watcherOnB.awaitRoom((event) -> "two".equals(event.body().path("data").path("text").asString()));

		Session bobOnB = live(b).connect(bob.token());
		subscribeResuming(bobOnB, code, since, epoch);
		Received recovered = bobOnB.awaitUser("recovered");
		annOnA.send("/app/rooms/" + code + "/broadcast", Map.of("data", Map.of("text", "three")));
		long live = watcherOnB.awaitRoom((event) -> "three".equals(event.body().path("data").path("text").asString()))
			.seq();
		bobOnB.awaitRoom((event) -> event.seq() == live);

		assertThat(bobOnB.roomEvents()).extracting(Received::seq)
			.containsExactlyElementsOf(LongStream.rangeClosed(since + 1, live).boxed().toList());
		assertThat(bobOnB.roomEvents().stream().map(Received::body).toList()).isEqualTo(
				watcherOnB.roomEvents().stream().filter((event) -> event.seq() > since).map(Received::body).toList());
		assertThat(bobOnB.userEvents()).extracting(Received::type).containsExactly("recovered");
		assertThat(recovered.body().path("fromSeq").asLong()).isEqualTo(since + 1);

		// Redis loses the history list: the next event starts a new epoch.
		LettuceConnectionFactory connectionFactory = TestRedis.connectionFactory();
		try {
			new StringRedisTemplate(connectionFactory).delete(this.prefix + "history:" + code);
		}
		finally {
			connectionFactory.destroy();
		}
		annOnA.send("/app/rooms/" + code + "/broadcast", Map.of("data", Map.of("text", "four")));
		long afterLoss = watcherOnB
			.awaitRoom((event) -> "four".equals(event.body().path("data").path("text").asString()))
			.seq();
		Session again = live(a).connect(cat.token());
		subscribeResuming(again, code, live, epoch);
		JsonNode fresh = again.awaitUser("snapshot").body();
		assertThat(fresh.path("epoch").asString()).isNotEqualTo(epoch);
		assertThat(fresh.path("seq").asLong()).isGreaterThanOrEqualTo(afterLoss);
		assertThat(again.userEvents()).extracting(Received::type).containsExactly("snapshot");
	}

	private static void subscribeResuming(Session session, String code, long since, String epoch) {
		session.subscribe("/user/queue/room");
		org.springframework.messaging.simp.stomp.StompHeaders headers = new org.springframework.messaging.simp.stomp.StompHeaders();
		headers.set("since-seq", Long.toString(since));
		headers.set("epoch", epoch);
		session.subscribe("/topic/rooms/" + code, headers);
	}

}
