package dev.roomkeeper.webhook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.roomkeeper.store.file.DiskView;
import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.LiveClient;
import dev.roomkeeper.support.WebhookReceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A webhook tells the app's backend about a change that is already stored: after a crash
 * the room never goes back behind what a webhook said. {@code member.connected} and
 * {@code member.disconnected} come from changes the file store writes in the background
 * (deferred, not awaited by the connection), so they are the ones that could arrive
 * first: when each arrives, the receiver reads the store's directory as a restart would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "rooms.store.type=file", "rooms.store.flush-interval=5s" })
@DirtiesContext
class WebhookStoredBeforeSentIntegrationTests {

	private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static final WebhookReceiver witness;

	static final Path dir;

	static {
		try {
			witness = new WebhookReceiver(SECRET);
			dir = Files.createTempDirectory("webhooks-stored");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@DynamicPropertySource
	static void endpoints(DynamicPropertyRegistry registry) {
		registry.add("rooms.store.dir", dir::toString);
		registry.add("rooms.webhooks.endpoints[0].url", witness::url);
		registry.add("rooms.webhooks.endpoints[0].secret", () -> SECRET);
		registry.add("rooms.webhooks.endpoints[0].events", () -> "member.connected,member.disconnected");
	}

	@AfterAll
	static void stopReceiver() {
		witness.close();
	}

	@LocalServerPort
	int port;

	@Test
	void whenAPresenceWebhookArrivesTheStoreOnDiskAlreadyShowsItsChange() {
		List<String> notStored = Collections.synchronizedList(new ArrayList<>());
		witness.inspect((attempt) -> {
			JsonNode data = attempt.body().get("data");
			String memberId = data.get("memberId").asString();
			boolean connected = attempt.type().equals("member.connected");
			String json = DiskView.json(dir, attempt.room());
			Boolean stored = (json != null) ? memberShownConnected(JSON.readTree(json), memberId) : null;
			if (!Boolean.valueOf(connected).equals(stored)) {
				notStored
					.add(attempt.type() + " of " + memberId + " arrived while the disk showed connected=" + stored);
			}
		});
		ApiClient api = new ApiClient(this.port);
		CreatedRoom room = api.createRoom();
		List<JoinedMember> members = new ArrayList<>();
		for (String name : List.of("Ann", "Bob", "Cem", "Dee")) {
			members.add(api.join(room.code(), name));
		}

		try (LiveClient live = new LiveClient(this.port)) {
			List<LiveClient.Session> sessions = new ArrayList<>();
			for (JoinedMember member : members) {
				LiveClient.Session session = live.connect(member.token());
				session.subscribe("/topic/rooms/" + room.code());
				sessions.add(session);
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> witness.delivered().size() >= members.size());
			sessions.forEach((session) -> session.stomp().disconnect());
			await().atMost(Duration.ofSeconds(20)).until(() -> witness.delivered().size() >= 2 * members.size());
		}

		assertThat(witness.delivered()).extracting(WebhookReceiver.Attempt::type)
			.filteredOn("member.connected"::equals)
			.hasSize(members.size());
		assertThat(witness.delivered()).extracting(WebhookReceiver.Attempt::type)
			.filteredOn("member.disconnected"::equals)
			.hasSize(members.size());
		assertThat(notStored).isEmpty();
	}

	private static Boolean memberShownConnected(JsonNode room, String memberId) {
		for (JsonNode member : room.get("members")) {
			if (member.get("id").asString().equals(memberId)) {
				return member.get("connected").asBoolean();
			}
		}
		return null;
	}

}
