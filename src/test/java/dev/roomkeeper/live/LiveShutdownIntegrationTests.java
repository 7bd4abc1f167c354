package dev.roomkeeper.live;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.roomkeeper.RoomkeeperApplication;
import dev.roomkeeper.store.file.DiskView;
import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.LiveClient;
import dev.roomkeeper.support.LiveClient.Session;
import dev.roomkeeper.support.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live changes are stored on a graceful shutdown: with a flush interval far longer than
 * the test, changes made over STOMP are not on disk while the server runs, and are all
 * there after it is closed and a new server starts on the same file store.
 */
@ExtendWith(OutputCaptureExtension.class)
class LiveShutdownIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	Path dir;

	@Test
	void changesMadeOverStompAreStoredByGracefulShutdownAndBackAfterRestart() throws Exception {
		CreatedRoom room;
		JoinedMember ann;
		long lastSeq;
		try (ConfigurableApplicationContext first = start()) {
			int port = port(first);
			ApiClient api = new ApiClient(port);
			room = api.createRoom(Map.of("state", Map.of("round", 1)));
			ann = api.join(room.code(), "Ann");
			try (LiveClient live = new LiveClient(port)) {
				Session a = live.connect(ann.token());
				a.join(room.code());
				a.send("/app/rooms/" + room.code() + "/state", Map.of("patch", Map.of("round", 2)));
				a.send("/app/rooms/" + room.code() + "/presence", Map.of("metadata", Map.of("seat", 7)));
				a.send("/app/rooms/" + room.code() + "/state", Map.of("patch", Map.of("round", 3)));
				a.send("/app/rooms/" + room.code() + "/broadcast", Map.of("data", "last"));
				lastSeq = a.awaitRoom("message").seq();
				assertThat(stored(room).path("version").asLong()).as("not stored before the flush interval").isZero();
			}
		}
		JsonNode onDisk = stored(room);
		assertThat(onDisk.path("version").asLong()).isEqualTo(2);
		assertThat(onDisk.path("seq").asLong()).as("a broadcast's seq, stored on shutdown")
			.isGreaterThanOrEqualTo(lastSeq);
		assertThat(onDisk.path("state").path("round").asInt()).isEqualTo(3);

		try (ConfigurableApplicationContext second = start()) {
			JsonNode view = new ApiClient(port(second)).get("/api/rooms/" + room.code(), ann.token())
				.expectStatus(200)
				.body();
			assertThat(view.path("version").asLong()).isEqualTo(2);
			assertThat(view.path("state").path("round").asInt()).isEqualTo(3);
			JsonNode member = view.path("members").get(0);
			assertThat(member.path("id").asString()).isEqualTo(ann.memberId());
			assertThat(member.path("metadata").path("seat").asInt()).isEqualTo(7);
			assertThat(member.path("connected").asBoolean()).isFalse();
		}
	}

	@Test
	void aClientThatNeverAnswersTheCloseIsCutOffSoShutdownLeavesNoConnectionOpen(CapturedOutput output) {
		try (ConfigurableApplicationContext context = start()) {
			int port = port(context);
			ApiClient api = new ApiClient(port);
			CreatedRoom room = api.createRoom();
			JoinedMember ann = api.join(room.code(), "Ann");
			JoinedMember bob = api.join(room.code(), "Bob");
			try (LiveClient live = new LiveClient(port);
					RawWebSocket silent = RawWebSocket.open(port, Map.of("X-Forwarded-For", "10.0.9.1"))) {
				silent.sendText("CONNECT\naccept-version:1.2\ntoken:" + ann.token() + "\n\n\0");
				silent.readUntil("CONNECTED");
				Session b = live.connect(bob.token());
				b.join(room.code());

				context.close();

				b.awaitDisconnected();
			}
		}
		assertThat(output).contains("event=live-connections-closed connections=2").contains("stillOpen=0");
	}

	private ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(RoomkeeperApplication.class).run("--server.port=0",
				"--rooms.store.type=file", "--rooms.store.dir=" + this.dir, "--rooms.store.flush-interval=1h",
				"--spring.jmx.enabled=false");
	}

	private static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	/** The room as the disk holds it (room file overlaid by the file store's journal). */
	private JsonNode stored(CreatedRoom room) throws Exception {
		return JSON.readTree(DiskView.json(this.dir, room.code()));
	}

}
