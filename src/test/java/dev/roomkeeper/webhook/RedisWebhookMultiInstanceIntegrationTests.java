package dev.roomkeeper.webhook;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.ServerProcess;
import dev.roomkeeper.support.TestRedis;
import dev.roomkeeper.support.WebhookReceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two packaged instances on one Redis: each webhook is sent by one instance (no
 * duplicates while both run), and when one is killed ({@code kill -9}) mid-backlog the
 * other takes its rooms over once their leases expire and finishes the backlog.
 */
class RedisWebhookMultiInstanceIntegrationTests {

	static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

	static final int ROOMS = 40;

	/** room.created, member.joined and 8 room.state per room. */
	static final int PER_ROOM = 10;

	private final String prefix = TestRedis.uniquePrefix(RedisWebhookMultiInstanceIntegrationTests.class);

	@TempDir
	Path temp;

	@AfterEach
	void deleteKeys() {
		LettuceConnectionFactory connectionFactory = TestRedis.connectionFactory();
		TestRedis.deleteKeys(connectionFactory, this.prefix);
		connectionFactory.destroy();
	}

	@Test
	void eachWebhookSentByOneInstanceAndTheSurvivorFinishesTheBacklog() throws Exception {
		try (WebhookReceiver receiver = new WebhookReceiver(SECRET)) {
			receiver.answerAlways(() -> 503);
			String[] properties = { "rooms.store.type=redis", "spring.data.redis.url=" + TestRedis.url(),
					"rooms.store.redis.key-prefix=" + this.prefix, "rooms.limits.failed-joins-per-minute=100000",
					"rooms.webhooks.endpoints[0].url=" + receiver.url(), "rooms.webhooks.endpoints[0].secret=" + SECRET,
					"rooms.webhooks.endpoints[0].events=room.created,member.joined,room.state",
					"rooms.webhooks.initial-backoff=200ms", "rooms.webhooks.max-backoff=500ms",
					"rooms.webhooks.lease-ttl=3s", "rooms.webhooks.threads=2", "rooms.webhooks.rescan-interval=1s" };
			try (ServerProcess a = ServerProcess.start(this.temp.resolve("a.log"), properties);
					ServerProcess b = ServerProcess.start(this.temp.resolve("b.log"), properties)) {
				List<ApiClient> apis = List.of(a.api(), b.api());
				for (int r = 0; r < ROOMS; r++) {
					ApiClient api = apis.get(r % 2);
					CreatedRoom room = api.createRoom();
					JoinedMember ann = api.join(room.code(), "Ann");
					for (int i = 1; i <= PER_ROOM - 2; i++) {
						apis.get(i % 2)
							.post("/api/rooms/" + room.code() + "/state", Map.of("patch", Map.of("n", i)), ann.token())
							.expectStatus(200);
					}
				}
				// A slow receiver, so that the kill comes mid-backlog.
				receiver.answer((id, attempt) -> {
					LockSupport.parkNanos(Duration.ofMillis(30).toNanos());
					return 204;
				});
				await().atMost(Duration.ofSeconds(60)).until(() -> receiver.delivered().size() >= ROOMS * PER_ROOM / 4);
				assertThat(deliveredTwice(receiver)).as("no webhook sent twice while both instances run").isZero();

				a.kill9();
				assertThat(receiver.delivered().size()).as("killed mid-backlog").isLessThan(ROOMS * PER_ROOM);

				await().atMost(Duration.ofSeconds(90)).until(() -> receiver.delivered().size() >= ROOMS * PER_ROOM);
				assertThat(receiver.delivered()).hasSize(ROOMS * PER_ROOM);
				assertThat(receiver.attempts()).allMatch(WebhookReceiver.Attempt::signatureValid);
				// At most the webhooks in flight at the kill (2xx received, removal not
				// yet
				// stored) come again.
				assertThat(deliveredTwice(receiver)).isLessThanOrEqualTo(8);
				Map<String, Long> lastSeq = new HashMap<>();
				for (WebhookReceiver.Attempt webhook : receiver.delivered()) {
					Long previous = lastSeq.put(webhook.room(), webhook.seq());
					assertThat(previous == null || previous < webhook.seq()).as("room order of " + webhook.room())
						.isTrue();
				}
			}
		}
	}

	private static long deliveredTwice(WebhookReceiver receiver) {
		return receiver.duplicateDeliveries();
	}

}
