package dev.roomkeeper.live;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.roomkeeper.RoomkeeperApplication;
import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.LiveClient;
import dev.roomkeeper.support.LiveClient.Session;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live changes are stored on a graceful shutdown: with a flush interval far longer than
 * the test, changes made over STOMP are not on disk while the server runs, and are all
 * there after it is closed and a new server starts on the same file store.
 */
class LiveShutdownIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	Path dir;

	@Test
	void changesMadeOverStompAreStoredByGracefulShutdownAndBackAfterRestart() throws Exception {
		CreatedRoom room;
		JoinedMember ann;
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
				a.awaitRoom((event) -> "state".equals(event.type()) && event.body().path("version").asLong() == 2);
				assertThat(stored(room).path("version").asLong()).as("not stored before the flush interval").isZero();
			}
		}
		JsonNode onDisk = stored(room);
		assertThat(onDisk.path("version").asLong()).isEqualTo(2);
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

	private ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(RoomkeeperApplication.class).run("--server.port=0",
				"--rooms.store.type=file", "--rooms.store.dir=" + this.dir, "--rooms.store.flush-interval=1h",
				"--spring.jmx.enabled=false");
	}

	private static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	private JsonNode stored(CreatedRoom room) throws Exception {
		return JSON.readTree(Files.readString(this.dir.resolve(room.code() + ".json")));
	}

}
