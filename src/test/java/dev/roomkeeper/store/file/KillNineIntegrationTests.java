package dev.roomkeeper.store.file;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.ApiClient.Response;
import dev.roomkeeper.support.ServerProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The durability promise of the file store: a REST call that answered 2xx survives
 * {@code kill -9} of the server the moment after. Several threads write while the
 * packaged server is killed; after each restart every acknowledged write is there.
 */
class KillNineIntegrationTests {

	private static final int WRITERS = 8;

	private static final int ROUNDS = 3;

	@TempDir
	Path temp;

	/** What one writer was told had succeeded. */
	record Acknowledged(CreatedRoom room, List<JoinedMember> members, int counter) {
	}

	@Test
	void killNineWhileWritingThenEveryAcknowledgedWriteSurvives() throws Exception {
		Path dir = this.temp.resolve("rooms");
		Map<Integer, Acknowledged> acknowledged = new ConcurrentHashMap<>();
		for (int round = 1; round <= ROUNDS; round++) {
			try (ServerProcess server = ServerProcess.start(this.temp.resolve("server-" + round + ".log"),
					"rooms.store.type=file", "rooms.store.dir=" + dir)) {
				verifyEverythingAcknowledgedIsBack(server.api(), acknowledged);
				writeUntilKilled(server, round, acknowledged);
			}
		}
		try (ServerProcess server = ServerProcess.start(this.temp.resolve("server-final.log"), "rooms.store.type=file",
				"rooms.store.dir=" + dir)) {
			verifyEverythingAcknowledgedIsBack(server.api(), acknowledged);
			assertThat(acknowledged).hasSize(WRITERS * ROUNDS);
		}
	}

	@Test
	void startWhenAnotherProcessUsesTheDirectoryThenItExitsWithAClearMessage() {
		Path dir = this.temp.resolve("rooms");
		try (ServerProcess first = ServerProcess.start(this.temp.resolve("first.log"), "rooms.store.dir=" + dir);
				ServerProcess second = ServerProcess.launch(this.temp.resolve("second.log"),
						"rooms.store.dir=" + dir)) {
			int exit = second.waitForExit(Duration.ofSeconds(90));

			assertThat(exit).isNotZero();
			assertThat(second.output()).contains("Another Roomkeeper process is using the store directory")
				.contains("rooms.store.dir")
				.contains("APPLICATION FAILED TO START");
			first.api().createRoom();
		}
	}

	private void writeUntilKilled(ServerProcess server, int round, Map<Integer, Acknowledged> acknowledged)
			throws Exception {
		ApiClient api = server.api();
		AtomicBoolean killed = new AtomicBoolean();
		AtomicInteger writes = new AtomicInteger();
		ExecutorService executor = Executors.newFixedThreadPool(WRITERS);
		try {
			for (int w = 0; w < WRITERS; w++) {
				int writer = round * 100 + w;
				executor.submit(() -> write(api, writer, acknowledged, writes, killed));
			}
			await().atMost(Duration.ofSeconds(60)).until(() -> writes.get() >= 400);
			killed.set(true);
			int exit = server.kill9();
			assertThat(exit).as("killed by SIGKILL").isEqualTo(137);
		}
		finally {
			executor.shutdown();
			assertThat(executor.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
		}
	}

	private static void write(ApiClient api, int writer, Map<Integer, Acknowledged> acknowledged, AtomicInteger writes,
			AtomicBoolean killed) {
		try {
			CreatedRoom room = api.createRoom(
					Map.of("name", "writer " + writer, "password", "pw-" + writer, "state", Map.of("counter", 0)));
			acknowledged.put(writer, new Acknowledged(room, List.of(), 0));
			JoinedMember member = api.join(room.code(), Map.of("name", "m" + writer, "password", "pw-" + writer));
			acknowledged.put(writer, new Acknowledged(room, List.of(member), 0));
			for (int counter = 1; !killed.get(); counter++) {
				Response response = api.post("/api/rooms/" + room.code() + "/state",
						Map.of("patch", Map.of("counter", counter)), member.token());
				if (response.status() != 200) {
					return;
				}
				acknowledged.put(writer, new Acknowledged(room, List.of(member), counter));
				writes.incrementAndGet();
			}
		}
		catch (UncheckedIOException | AssertionError ex) {
			// the server died under this request: only what was acknowledged before
			// counts
		}
	}

	private static void verifyEverythingAcknowledgedIsBack(ApiClient api, Map<Integer, Acknowledged> acknowledged) {
		for (Map.Entry<Integer, Acknowledged> entry : acknowledged.entrySet()) {
			Acknowledged ack = entry.getValue();
			JsonNode room = api.get("/api/rooms/" + ack.room().code(), ack.room().ownerToken())
				.expectStatus(200)
				.body();
			assertThat(room.get("name").asString()).isEqualTo("writer " + entry.getKey());
			assertThat(room.get("hasPassword").asBoolean()).isTrue();
			assertThat(room.get("state").get("counter").asInt()).as("counter of writer " + entry.getKey())
				.isGreaterThanOrEqualTo(ack.counter());
			assertThat(room.get("version").asInt()).isGreaterThanOrEqualTo(ack.counter());
			for (JoinedMember member : ack.members()) {
				api.get("/api/rooms/" + ack.room().code(), member.token()).expectStatus(200);
			}
		}
	}

}
