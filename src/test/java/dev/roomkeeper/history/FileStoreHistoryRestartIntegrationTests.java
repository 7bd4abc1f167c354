package dev.roomkeeper.history;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.LiveClient;
import dev.roomkeeper.support.LiveClient.Received;
import dev.roomkeeper.support.LiveClient.Session;
import dev.roomkeeper.support.ServerProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recovery across restarts of the packaged server on the file store: after a graceful
 * restart a member resumes with exactly the events it missed (broadcasts included, which
 * are stored only with the room's history); after {@code kill -9} it gets a new epoch and
 * a snapshot, never a silent hole.
 */
class FileStoreHistoryRestartIntegrationTests {

	@TempDir
	Path temp;

	@Test
	void gracefulRestartThenTheMissedEventsAreRecoveredAndKillNineThenANewEpochAndASnapshot() throws Exception {
		Path dir = this.temp.resolve("rooms");
		String[] properties = { "rooms.store.type=file", "rooms.store.dir=" + dir,
				"rooms.limits.failed-joins-per-minute=100000" };
		CreatedRoom room;
		JoinedMember ann;
		JoinedMember bob;
		JoinedMember cat;
		long since;
		String epoch;
		List<Received> seenByCat;
		try (ServerProcess first = ServerProcess.start(this.temp.resolve("first.log"), properties);
				LiveClient live = new LiveClient(first.port())) {
			room = first.api().createRoom(Map.of("state", Map.of("round", 1)));
			ann = first.api().join(room.code(), "Ann");
			bob = first.api().join(room.code(), "Bob");
			cat = first.api().join(room.code(), "Cat");
			Session watcher = live.connect(cat.token());
			watcher.join(room.code());
			Session a = live.connect(ann.token());
			a.join(room.code());
			Session b = live.connect(bob.token());
			JsonNode snapshot = b.join(room.code());
			epoch = snapshot.path("epoch").asString();
			since = snapshot.path("seq").asLong();
			b.disconnect();
			watcher.awaitRoom((event) -> "member-disconnected".equals(event.type())
					&& bob.memberId().equals(event.body().path("memberId").asString()));
			a.send("/app/rooms/" + room.code() + "/broadcast", Map.of("data", Map.of("text", "before the restart")));
			a.send("/app/rooms/" + room.code() + "/state", Map.of("patch", Map.of("round", 2)));
			a.send("/app/rooms/" + room.code() + "/broadcast", Map.of("data", Map.of("text", "last words")));
			watcher.awaitRoom((event) -> "last words".equals(event.body().path("data").path("text").asString()));
			seenByCat = watcher.roomEvents();
			assertThat(first.terminate(Duration.ofSeconds(30))).isIn(0, 143);
		}

		long lastSeq;
		try (ServerProcess second = ServerProcess.start(this.temp.resolve("second.log"), properties);
				LiveClient live = new LiveClient(second.port())) {
			Session back = live.connect(bob.token());
			HistoryRecoveryIntegrationTests.resume(back, room.code(), since, epoch);
			Received recovered = back.awaitUser("recovered");
			long toSeq = recovered.body().path("toSeq").asLong();
			back.awaitRoom((event) -> event.seq() == toSeq);
			List<Received> recoveredEvents = back.roomEvents();
			assertThat(recoveredEvents).extracting(Received::seq)
				.startsWith(since + 1)
				.containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(since + 1, toSeq).boxed().toList());
			List<JsonNode> catAfterSince = seenByCat.stream()
				.filter((event) -> event.seq() > since)
				.map(Received::body)
				.toList();
			assertThat(recoveredEvents.stream().map(Received::body).toList())
				.startsWith(catAfterSince.toArray(JsonNode[]::new));
			assertThat(recoveredEvents).extracting(Received::type).contains("message", "state");
			assertThat(back.userEvents()).extracting(Received::type).containsExactly("recovered");

			// More events, then kill -9 before the broadcasts are stored.
			Session a = live.connect(ann.token());
			a.join(room.code());
			a.send("/app/rooms/" + room.code() + "/broadcast", Map.of("data", Map.of("text", "lost?")));
			lastSeq = back.awaitRoom((event) -> "lost?".equals(event.body().path("data").path("text").asString()))
				.seq();
			second.kill9();
		}

		try (ServerProcess third = ServerProcess.start(this.temp.resolve("third.log"), properties);
				LiveClient live = new LiveClient(third.port())) {
			Session again = live.connect(bob.token());
			HistoryRecoveryIntegrationTests.resume(again, room.code(), lastSeq, epoch);
			JsonNode snapshot = again.awaitUser("snapshot").body();
			assertThat(again.userEvents()).extracting(Received::type).containsExactly("snapshot");
			assertThat(snapshot.path("epoch").asString()).isNotEqualTo(epoch);
			assertThat(snapshot.path("seq").asLong()).isGreaterThan(lastSeq);
			JsonNode events = third.api()
				.get("/api/rooms/" + room.code() + "/events?since=" + since, bob.token())
				.expectStatus(200)
				.body();
			assertThat(events.path("complete").asBoolean()).isFalse();
			assertThat(events.path("epoch").asString()).isEqualTo(snapshot.path("epoch").asString());
		}
	}

}
