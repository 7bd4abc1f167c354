package dev.roomkeeper.store.redis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.LiveClient;
import dev.roomkeeper.support.LiveClient.Received;
import dev.roomkeeper.support.LiveClient.Session;
import dev.roomkeeper.support.RunningApp;
import dev.roomkeeper.support.ServerProcess;
import dev.roomkeeper.support.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged server on the Redis store, killed with {@code kill -9} while a member is
 * connected to it: another server on the same Redis shows the member disconnected within
 * {@code rooms.presence.stale-after} (its heartbeat expired), then removes it as stale;
 * what the killed server acknowledged is there.
 */
class RedisKillNineIntegrationTests {

	private static final Duration STALE_AFTER = Duration.ofSeconds(4);

	@TempDir
	Path temp;

	private final String prefix = TestRedis.uniquePrefix(RedisKillNineIntegrationTests.class);

	@AfterEach
	void deleteKeys() {
		LettuceConnectionFactory connectionFactory = TestRedis.connectionFactory();
		TestRedis.deleteKeys(connectionFactory, this.prefix);
		connectionFactory.destroy();
	}

	private String[] properties() {
		return new String[] { "rooms.store.type=redis", "spring.data.redis.url=" + TestRedis.url(),
				"rooms.store.redis.key-prefix=" + this.prefix,
				"rooms.presence.stale-after=" + STALE_AFTER.toSeconds() + "s", "rooms.sweep-interval=1s" };
	}

	@Test
	void killNineWhenAMemberIsConnectedThenItStopsCountingWithinStaleAfterOnTheOtherServer() {
		try (ServerProcess a = ServerProcess.start(this.temp.resolve("a.log"), properties());
				RunningApp b = RunningApp.start(properties());
				LiveClient liveA = new LiveClient(a.port());
				LiveClient liveB = new LiveClient(b.port())) {
			CreatedRoom room = a.api().createRoom();
			String code = room.code();
			JoinedMember ann = a.api().join(code, "Ann");
			JoinedMember bob = b.api().join(code, "Bob");
			Session annOnA = liveA.connect(ann.token());
			annOnA.join(code);
			Session bobOnB = liveB.connect(bob.token());
			JsonNode snapshot = bobOnB.join(code).path("snapshot");
			assertThat(snapshot.path("connectedCount").asInt()).isEqualTo(2);
			a.api()
				.post("/api/rooms/" + code + "/state", Map.of("patch", Map.of("acknowledged", true)), ann.token())
				.expectStatus(200);
			bobOnB.awaitRoom("state");

			long killedAt = System.nanoTime();
			a.kill9();

			Received disconnected = bobOnB.awaitRoom((event) -> event.type().equals("member-disconnected")
					&& event.body().path("memberId").asString().equals(ann.memberId()));
			assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(STALE_AFTER);
			Received removed = bobOnB.awaitRoom((event) -> event.type().equals("member-removed"));
			assertThat(removed.body().path("memberId").asString()).isEqualTo(ann.memberId());
			assertThat(removed.body().path("reason").asString()).isEqualTo("stale");
			assertThat(removed.seq()).isGreaterThan(disconnected.seq());
			JsonNode stored = b.api().get("/api/rooms/" + code, bob.token()).expectStatus(200).body();
			assertThat(stored.path("state").path("acknowledged").asBoolean()).isTrue();
			assertThat(stored.path("members").findValuesAsString("name")).containsExactly("Bob");
			assertThat(stored.path("connectedCount").asInt()).isEqualTo(1);
		}
	}

}
