package dev.roomkeeper.coldstart;

import java.net.http.HttpClient;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.annotation.DirtiesContext;

import dev.roomkeeper.room.RoomRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The training run's client against a real server on the file store: every path it drives
 * answers as it expects (so the AOT training at image build time does not fail), a round
 * leaves no room behind, and seeding leaves its rooms open with their two members. The
 * training run itself ({@code System.exit} at its end) runs in {@code aot-training.sh},
 * which {@code bench/coldstart.sh} runs.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "rooms.store.type=file")
// The store lives in a temporary directory of this class: close it (and stop its
// background
// checkpoints) before JUnit deletes the directory, rather than leave it in the context
// cache.
@DirtiesContext
class TrainingClientIntegrationTests {

	@TempDir
	static Path storeDir;

	@DynamicPropertySource
	static void store(DynamicPropertyRegistry registry) {
		registry.add("rooms.store.dir", () -> storeDir.toString());
	}

	@LocalServerPort
	int port;

	@Autowired
	JsonMapper json;

	@Autowired
	RoomRepository repository;

	@Test
	void visitAndRoundsWorkAndLeaveNoRoom() throws Exception {
		TrainingClient client = new TrainingClient(HttpClient.newHttpClient(), this.json, this.port);
		long before = this.repository.count();
		client.visit();
		client.round(1);
		client.round(2);
		assertThat(this.repository.count()).isEqualTo(before);
	}

	@Test
	void seedLeavesOpenRoomsOfTwoMembers() throws Exception {
		TrainingClient client = new TrainingClient(HttpClient.newHttpClient(), this.json, this.port);
		long before = this.repository.count();
		client.seed(1);
		client.seed(2);
		assertThat(this.repository.count()).isEqualTo(before + 2);
		assertThat(this.repository.findAll()).filteredOn((room) -> room.name().startsWith("seed "))
			.allSatisfy((room) -> assertThat(room.members()).hasSize(2));
	}

}
