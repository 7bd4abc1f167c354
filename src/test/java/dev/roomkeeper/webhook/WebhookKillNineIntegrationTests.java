package dev.roomkeeper.webhook;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.ServerProcess;
import dev.roomkeeper.support.WebhookReceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kill -9} of the packaged server with 1,000 webhooks pending and the receiver
 * down: after a restart and the receiver coming back, every one arrives (deduplicated by
 * {@code webhook-id}), each for a change that was acknowledged, hence stored.
 */
class WebhookKillNineIntegrationTests {

	static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

	static final int ROOMS = 100;

	/** room.created, member.joined and 8 room.state per room. */
	static final int PER_ROOM = 10;

	@TempDir
	Path temp;

	@Test
	void killNineWithThousandPendingThenAllArriveAfterRestart() throws Exception {
		int receiverPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			receiverPort = socket.getLocalPort();
		}
		String[] properties = { "rooms.store.type=file", "rooms.store.dir=" + this.temp.resolve("rooms"),
				"rooms.limits.failed-joins-per-minute=100000", "rooms.max-rooms=1000",
				"rooms.webhooks.endpoints[0].url=http://127.0.0.1:" + receiverPort + "/hooks",
				"rooms.webhooks.endpoints[0].secret=" + SECRET,
				"rooms.webhooks.endpoints[0].events=room.created,member.joined,room.state",
				"rooms.webhooks.initial-backoff=100ms", "rooms.webhooks.max-backoff=500ms" };
		Set<String> acknowledged = new HashSet<>();
		try (ServerProcess server = ServerProcess.start(this.temp.resolve("first.log"), properties)) {
			ApiClient api = server.api();
			for (int r = 0; r < ROOMS; r++) {
				CreatedRoom room = api.createRoom();
				JoinedMember ann = api.join(room.code(), "Ann");
				acknowledged.add(room.code() + "/room.created");
				acknowledged.add(room.code() + "/member.joined");
				for (int i = 1; i <= PER_ROOM - 2; i++) {
					api.post("/api/rooms/" + room.code() + "/state", Map.of("patch", Map.of("n", i)), ann.token())
						.expectStatus(200);
					acknowledged.add(room.code() + "/room.state/" + i);
				}
			}
			assertThat(server.kill9()).isNotZero();
		}
		assertThat(acknowledged).hasSize(ROOMS * PER_ROOM);

		try (WebhookReceiver receiver = new WebhookReceiver(SECRET, receiverPort);
				ServerProcess server = ServerProcess.start(this.temp.resolve("second.log"), properties)) {
			await().atMost(Duration.ofSeconds(120)).until(() -> receiver.delivered().size() >= ROOMS * PER_ROOM);
			assertThat(receiver.attempts()).allMatch(WebhookReceiver.Attempt::signatureValid);
			Set<String> arrived = new HashSet<>();
			for (WebhookReceiver.Attempt webhook : receiver.delivered()) {
				String key = webhook.room() + "/" + webhook.type();
				if (webhook.type().equals("room.state")) {
					key += "/" + webhook.body().get("data").get("version").asLong();
				}
				arrived.add(key);
			}
			assertThat(receiver.delivered()).hasSize(ROOMS * PER_ROOM);
			assertThat(arrived).isEqualTo(acknowledged);
		}
	}

}
