package dev.roomkeeper.store.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.room.ChangeResult;
import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.StoreUnavailableException;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.store.file.FileStoreFaults.Step;
import dev.roomkeeper.support.ExpectedErrorLogs;
import dev.roomkeeper.support.TestRooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The file store on real files with an {@link java.io.IOException} injected at each
 * write, force and move step, once and persistently: a write that is not on disk is never
 * acknowledged, the store stays usable and recovers when the fault clears, nothing
 * acknowledged is lost, and no temp file survives a restart.
 */
@ExpectedErrorLogs(value = { "dev.roomkeeper.store.file" }, because = "every test injects I/O faults")
class FileStoreFaultTests {

	private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	@org.junit.jupiter.api.io.TempDir
	Path dir;

	private JsonFileRoomRepository repository;

	@AfterEach
	void close() {
		if (this.repository != null) {
			this.repository.close();
		}
	}

	private JsonFileRoomRepository open() {
		this.repository = new JsonFileRoomRepository(this.dir, Duration.ofMillis(50), Duration.ofMillis(50),
				Duration.ofHours(1), this.jsonMapper, new RoomEventBus(this.jsonMapper),
				Clock.fixed(NOW, ZoneOffset.UTC), new SimpleMeterRegistry());
		return this.repository;
	}

	private JsonFileRoomRepository reopen() {
		this.repository.close();
		this.repository = null;
		return open();
	}

	static Stream<Arguments> journalSteps() {
		return Stream.of(Step.JOURNAL_WRITE, Step.JOURNAL_FORCE)
			.flatMap((step) -> Stream.of(Arguments.of(step, false), Arguments.of(step, true)));
	}

	static Stream<Arguments> checkpointSteps() {
		return Stream.of(Step.ROOM_FILE_WRITE, Step.ROOM_FILE_FORCE, Step.ROOM_FILE_MOVE, Step.DIRECTORY_FORCE)
			.flatMap((step) -> Stream.of(Arguments.of(step, false), Arguments.of(step, true)));
	}

	@ParameterizedTest(name = "{0}, persistent={1}")
	@MethodSource("journalSteps")
	void journalFaultThenWriteIsRefusedNothingAcknowledgedIsLostAndWritesResume(Step step, boolean persistent) {
		JsonFileRoomRepository store = open();
		store.create(TestRooms.room("ACK001", NOW));
		InjectedFault fault = InjectedFault.of(step, persistent);
		store.injectFaults(fault);

		assertThatThrownBy(() -> store.create(TestRooms.room("REF001", NOW)))
			.isInstanceOf(StoreUnavailableException.class);
		assertThat(fault.thrown()).isEqualTo(1);
		if (persistent) {
			assertThatThrownBy(() -> rename(store, "ACK001", "refused")).isInstanceOf(StoreUnavailableException.class);
			assertThat(store.lastWriteError()).contains("Injected fault at " + step);
			assertThat(fault.thrown()).isGreaterThan(1);
			fault.clear();
		}
		// Reads never stopped, and writes resume (the refused ones are retried too).
		assertThat(store.find("ACK001")).isPresent();
		store.create(TestRooms.room("ACK002", NOW));
		rename(store, "ACK001", "after the fault");
		await().atMost(Duration.ofSeconds(10)).until(() -> store.lastWriteError() == null);
		Map<String, String> before = versions(store);

		JsonFileRoomRepository reopened = reopen();

		assertThat(versions(reopened)).isEqualTo(before).containsKeys("ACK001", "ACK002");
		assertThat(reopened.find("ACK001").orElseThrow().name()).isEqualTo("after the fault");
	}

	@ParameterizedTest(name = "{0}, persistent={1}")
	@MethodSource("checkpointSteps")
	void checkpointFaultThenChangesStayInJournalHealthSaysSoAndNextCheckpointSucceeds(Step step, boolean persistent)
			throws IOException {
		JsonFileRoomRepository store = open();
		store.create(TestRooms.room("ACK001", NOW));
		store.create(TestRooms.room("ACK002", NOW));
		InjectedFault fault = InjectedFault.of(step, persistent);
		store.injectFaults(fault);

		assertThatThrownBy(store::flush).isInstanceOf(StoreUnavailableException.class);
		assertThat(fault.thrown()).isPositive();
		assertThat(store.lastWriteError()).isNotNull();
		assertThat(RoomJournal.segmentNumbers(this.dir)).as("journal kept").isNotEmpty();
		// Durable writes still work: they only need the journal.
		store.create(TestRooms.room("ACK003", NOW));
		rename(store, "ACK001", "during the fault");

		if (persistent) {
			assertThatThrownBy(store::flush).isInstanceOf(StoreUnavailableException.class);
			assertThat(store.lastWriteError()).isNotNull();
			fault.clear();
		}
		store.flush();

		assertThat(store.lastWriteError()).isNull();
		assertThat(roomFiles()).containsExactly("ACK001.json", "ACK002.json", "ACK003.json");
		assertThat(tempFiles()).isEmpty();
		assertThat(RoomJournal.segmentNumbers(this.dir)).as("journal dropped once covered").isEmpty();
	}

	@ParameterizedTest(name = "{0}, persistent={1}")
	@MethodSource("checkpointSteps")
	void checkpointFaultAtCloseThenReopenHasEveryRoomAndNoTempFile(Step step, boolean persistent) throws IOException {
		JsonFileRoomRepository store = open();
		store.create(TestRooms.room("ACK001", NOW));
		store.create(TestRooms.room("ACK002", NOW));
		rename(store, "ACK001", "last acknowledged");
		store.injectFaults(InjectedFault.of(step, persistent));
		assertThatThrownBy(store::flush).isInstanceOf(StoreUnavailableException.class);
		Map<String, String> before = versions(store);

		// The close's checkpoint meets the fault again if it is persistent.
		store.close();
		this.repository = null;
		if (persistent && step != Step.DIRECTORY_FORCE) {
			assertThat(tempFiles()).as("temp files the failed checkpoints left").isNotEmpty();
		}
		JsonFileRoomRepository reopened = open();

		assertThat(versions(reopened)).isEqualTo(before);
		assertThat(reopened.find("ACK001").orElseThrow().name()).isEqualTo("last acknowledged");
		// after the start's own checkpoint (which writes temp files of its own meanwhile)
		reopened.flush();
		assertThat(tempFiles()).isEmpty();
		assertThat(reopened.lastWriteError()).isNull();
		assertThat(roomFiles()).containsExactly("ACK001.json", "ACK002.json");
	}

	private static void rename(JsonFileRoomRepository store, String code, String name) {
		store.update(code, (room) -> ChangeResult.save(room.edit().name(name).build(), true), Durability.DURABLE);
	}

	/** Every room's name, version and seq, by code: what a reopen must give back. */
	private static Map<String, String> versions(JsonFileRoomRepository store) {
		Map<String, String> versions = new TreeMap<>();
		for (Room room : store.findAll()) {
			versions.put(room.code(), room.name() + " v" + room.version() + " seq" + room.seq());
		}
		return versions;
	}

	private List<String> roomFiles() throws IOException {
		try (Stream<Path> files = Files.list(this.dir)) {
			return files.map((file) -> file.getFileName().toString())
				.filter((name) -> name.endsWith(".json"))
				.sorted()
				.toList();
		}
	}

	private List<String> tempFiles() throws IOException {
		try (Stream<Path> files = Files.list(this.dir)) {
			return files.map((file) -> file.getFileName().toString()).filter((name) -> name.endsWith(".tmp")).toList();
		}
	}

}
