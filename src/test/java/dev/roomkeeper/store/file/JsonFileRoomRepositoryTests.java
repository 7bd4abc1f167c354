package dev.roomkeeper.store.file;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.roomkeeper.room.ChangeResult;
import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.HistoryEvent;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.event.MessageEvent;
import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.store.AbstractRoomRepositoryContractTests;
import dev.roomkeeper.support.ExpectedErrorLogs;
import dev.roomkeeper.support.TestRooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class JsonFileRoomRepositoryTests extends AbstractRoomRepositoryContractTests {

	@TempDir
	Path dir;

	private final Clock clock = Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC);

	@Override
	protected RoomRepository createRepository() {
		return open();
	}

	@Override
	protected void closeRepository(RoomRepository repository) {
		((JsonFileRoomRepository) repository).close();
	}

	private JsonFileRoomRepository open() {
		return open(Duration.ofMillis(200));
	}

	private JsonFileRoomRepository open(Duration flushInterval) {
		return new JsonFileRoomRepository(this.dir, flushInterval, this.jsonMapper, this.eventBus, this.clock);
	}

	private JsonFileRoomRepository reopen() {
		closeRepository(this.repository);
		this.repository = open();
		return (JsonFileRoomRepository) this.repository;
	}

	/** The room as the disk holds it: its file, overlaid by the journal. */
	private String fileText(String code) throws Exception {
		String json = DiskView.json(this.dir, code);
		assertThat(json).as("room %s on disk", code).isNotNull();
		return json;
	}

	@Test
	void createThenFileIsOnDiskWhenCreateReturns() throws Exception {
		this.repository.create(TestRooms.room("ABC234", NOW));

		assertThat(fileText("ABC234")).contains("\"code\":\"ABC234\"");
	}

	@Test
	void updateWhenDurableThenChangeIsOnDiskWhenUpdateReturns() throws Exception {
		this.repository.create(TestRooms.room("ABC234", NOW));

		this.repository.update("ABC234", (room) -> ChangeResult.save(room.edit().name("Stored now").build(), true),
				Durability.DURABLE);

		assertThat(fileText("ABC234")).contains("Stored now");
	}

	@Test
	void updateWhenDeferredThenChangeIsOnDiskWithinFlushInterval() throws Exception {
		this.repository.create(TestRooms.room("ABC234", NOW));

		this.repository.update("ABC234", (room) -> ChangeResult.save(room.edit().name("Later").build(), true),
				Durability.DEFERRED);

		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(fileText("ABC234")).contains("Later"));
	}

	@Test
	void flushChangesWhenDeferredChangesThenJournaledWithoutRewritingRoomFiles() throws Exception {
		closeRepository(this.repository);
		this.repository = new JsonFileRoomRepository(this.dir, Duration.ofHours(1), Duration.ofHours(1),
				Duration.ofHours(1), this.jsonMapper, this.eventBus, this.clock, new SimpleMeterRegistry());
		this.repository.create(TestRooms.room("ABC234", NOW));
		this.repository.flush();
		this.repository.update("ABC234", (room) -> ChangeResult.save(room.edit().name("Journaled").build(), true),
				Durability.DEFERRED);
		assertThat(fileText("ABC234")).as("deferred for an hour").doesNotContain("Journaled");
		assertThat(this.repository.changesStored("ABC234")).isFalse();

		this.repository.flushChanges(List.of("ABC234"));

		assertThat(this.repository.changesStored("ABC234")).isTrue();

		assertThat(fileText("ABC234")).as("on disk: in the journal").contains("Journaled");
		assertThat(Files.readString(this.dir.resolve("ABC234.json"))).as("room file not rewritten")
			.doesNotContain("Journaled");
	}

	@Test
	void updateWhenDeletedThenFileIsRemoved() {
		this.repository.create(TestRooms.room("ABC234", NOW));
		this.repository.flush();
		assertThat(this.dir.resolve("ABC234.json")).exists();

		this.repository.update("ABC234", (room) -> ChangeResult.delete(true), Durability.DURABLE);

		assertThat(DiskView.exists(this.dir, "ABC234")).as("deleted on disk when update returns").isFalse();
		this.repository.flush();
		assertThat(this.dir.resolve("ABC234.json")).doesNotExist();
	}

	@Test
	void reopenAfterAStopThatWasNotCleanRaisesEverySeqOnceAndStoresIt() throws Exception {
		this.repository.create(TestRooms.room("ABC234", NOW).edit().seq(9).build());
		closeRepository(this.repository);
		// As after kill -9: no clean-stop marker.
		Files.delete(this.dir.resolve(JsonFileRoomRepository.CLEAN_STOP_MARKER));

		this.repository = open();
		long raised = 9 + JsonFileRoomRepository.SEQ_MARGIN_AFTER_CRASH;
		assertThat(this.repository.find("ABC234")).get().extracting(Room::seq).isEqualTo(raised);
		await().atMost(Duration.ofSeconds(10)).until(() -> fileText("ABC234").contains("\"seq\":" + raised));

		RoomRepository afterCleanStop = reopen();
		assertThat(afterCleanStop.find("ABC234")).get().extracting(Room::seq).isEqualTo(raised);
	}

	@Test
	void reopenAfterACleanStopThenTheHistoryAndItsEpochAreBack() throws Exception {
		Room created = TestRooms.room("ABC234", NOW);
		this.repository.create(created);
		broadcast("ABC234", 3);

		Room reopened = reopen().findWithHistory("ABC234").orElseThrow();

		assertThat(reopened.epoch()).isEqualTo(created.epoch());
		assertThat(reopened.history().events()).extracting(HistoryEvent::seq).containsExactly(1L, 2L, 3L);
		assertThat(reopened.history().after(0L, reopened.seq(), 100).complete()).isTrue();
		assertThat(fileText("ABC234")).contains("\"history\":{\"epoch\":\"" + created.epoch() + "\"")
			.contains("{\"seq\":3,\"json\":{\"type\":\"message\"");
	}

	@Test
	void reopenAfterAStopThatWasNotCleanThenANewEpochAndNoRecoveryAcrossTheRaisedSeq() throws Exception {
		Room created = TestRooms.room("ABC234", NOW);
		this.repository.create(created);
		broadcast("ABC234", 3);
		closeRepository(this.repository);
		Files.delete(this.dir.resolve(JsonFileRoomRepository.CLEAN_STOP_MARKER));

		this.repository = open();
		Room room = this.repository.findWithHistory("ABC234").orElseThrow();

		assertThat(room.epoch()).isNotEqualTo(created.epoch());
		assertThat(room.history().events()).extracting(HistoryEvent::seq).containsExactly(1L, 2L, 3L);
		assertThat(room.history().after(1L, room.seq(), 100).complete()).isFalse();
		RoomRepository afterCleanStop = reopen();
		assertThat(afterCleanStop.find("ABC234")).get().extracting(Room::epoch).isEqualTo(room.epoch());
	}

	private void broadcast(String code, int count) {
		for (int i = 0; i < count; i++) {
			this.repository.update(code, (room) -> {
				Room next = room.nextSeq();
				return ChangeResult.save(next, null, new MessageEvent(code, NOW, next.seq(), "m1",
						this.jsonMapper.getNodeFactory().textNode("hi " + next.seq())));
			}, Durability.ACTIVITY);
		}
	}

	@Test
	void reopenWhenRoomsWereStoredThenEveryRoomIsBackWithMembersDisconnected() {
		Room room = TestRooms.room("ABC234", NOW)
			.withAddedMember(TestRooms.member("m1", "Ann", NOW).withPresence(true, NOW))
			.edit()
			.state(TestRooms.counter(5))
			.version(5)
			.seq(9)
			.build();
		this.repository.create(room);
		this.repository.create(TestRooms.room("XYZ789", NOW));

		RoomRepository reopened = reopen();

		assertThat(reopened.count()).isEqualTo(2);
		Room loaded = reopened.find("ABC234").orElseThrow();
		assertThat(loaded.state().get("counter").asLong()).isEqualTo(5);
		assertThat(loaded.version()).isEqualTo(5);
		assertThat(loaded.seq()).isEqualTo(9);
		assertThat(loaded.ownerTokenHash()).isEqualTo(room.ownerTokenHash());
		assertThat(loaded.members()).singleElement().satisfies((member) -> {
			assertThat(member.connected()).isFalse();
			assertThat(member.lastSeenAt()).isEqualTo(this.clock.instant());
			assertThat(member.tokenHash()).isEqualTo(room.members().get(0).tokenHash());
		});
	}

	@Test
	void reopenThenTheTotalsAreCountedFromTheLoadedRoomsAndKeptFromThere() throws Exception {
		this.repository.create(withMembers(TestRooms.room("AAA", NOW), connected("a1", NOW), connected("a2", NOW)));
		this.repository.create(withMembers(TestRooms.room("BBB", NOW), connected("b1", NOW)));
		this.repository.create(TestRooms.room("CCC", NOW));
		this.repository.update("CCC", (room) -> ChangeResult.delete(true), Durability.DURABLE);

		reopen();
		assertTotals(2, 3);

		this.repository.update("BBB", (room) -> ChangeResult.save(room.withAddedMember(connected("b2", NOW)), true),
				Durability.DEFERRED);
		closeRepository(this.repository);
		// As after kill -9: the journal is replayed.
		Files.delete(this.dir.resolve(JsonFileRoomRepository.CLEAN_STOP_MARKER));
		this.repository = open();
		assertTotals(2, 4);
		assertTotalsMatchAWalk();
	}

	@Test
	void reopenWhenDeferredChangesPendingThenCloseStoredThem() {
		this.repository.create(TestRooms.room("ABC234", NOW));
		this.repository.update("ABC234", (room) -> ChangeResult.save(room.edit().name("Pending").build(), true),
				Durability.DEFERRED);

		RoomRepository reopened = reopen();

		assertThat(reopened.find("ABC234")).get().extracting(Room::name).isEqualTo("Pending");
	}

	@Test
	@ExpectedErrorLogs(value = "dev.roomkeeper.store.file.StoreLoader",
			because = "corrupt room files are set aside (store-file-set-aside)")
	void loadWhenManyRoomsAmongCorruptFilesThenEveryGoodRoomLoadsWhole() throws Exception {
		for (int i = 0; i < 2000; i++) {
			this.repository.create(TestRooms.room(String.format("P%05d", i), NOW).edit().name("room " + i).build());
		}
		closeRepository(this.repository);
		for (int i = 0; i < 20; i++) {
			write(String.format("BAD%03d.json", i), "{\"code\":");
		}

		JsonFileRoomRepository reopened = open();
		this.repository = reopened;

		assertThat(reopened.count()).isEqualTo(2000);
		for (int i = 0; i < 2000; i++) {
			assertThat(reopened.find(String.format("P%05d", i))).get().extracting(Room::name).isEqualTo("room " + i);
		}
		try (Stream<Path> aside = Files.list(this.dir.resolve("corrupt"))) {
			assertThat(aside).hasSize(20);
		}
	}

	@Test
	@ExpectedErrorLogs(value = "dev.roomkeeper.store.file.JsonFileRoomRepository",
			because = "corrupt room files are set aside (store-file-set-aside)")
	void loadWhenFilesAreCorruptThenTheyAreSetAsideAndGoodRoomsLoad() throws Exception {
		this.repository.create(TestRooms.room("GOOD22", NOW));
		String good = fileText("GOOD22");
		closeRepository(this.repository);
		write("TRUNC2.json", good.replace("GOOD22", "TRUNC2").substring(0, good.length() / 2));
		write("EMPTY2.json", "");
		write("JUNK22.json", "\u0000\u0001 this is not json");
		write("TYPES2.json", good.replace("GOOD22", "TYPES2").replace("\"maxMembers\":16", "\"maxMembers\":\"many\""));
		write("NULLS2.json", good.replace("GOOD22", "NULLS2").replace("\"settings\":{}", "\"settings\":null"));
		write("OTHER2.json", good);
		write("ARRAY2.json", "[1,2,3]");
		write("GOOD22.json.tmp", "half written");
		write("LOST22.json.tmp", "{\"code\":");

		JsonFileRoomRepository reopened = open();
		this.repository = reopened;

		assertThat(reopened.findAll()).extracting(Room::code).containsExactly("GOOD22");
		try (Stream<Path> aside = Files.list(this.dir.resolve("corrupt"))) {
			assertThat(aside.map((path) -> path.getFileName().toString().replaceAll("\\.json\\.\\d+$", "")))
				.containsExactlyInAnyOrder("TRUNC2", "EMPTY2", "JUNK22", "TYPES2", "NULLS2", "OTHER2", "ARRAY2");
		}
		try (Stream<Path> left = Files.list(this.dir)) {
			assertThat(left.map((path) -> path.getFileName().toString())).containsExactlyInAnyOrder("GOOD22.json",
					"corrupt", ".lock");
		}
	}

	@Test
	void openWhenAnotherRepositoryHoldsTheDirectoryThenRefusedWithMessage() {
		assertThatThrownBy(this::open).isInstanceOf(StoreDirectoryLock.StoreLockedException.class)
			.hasMessageContaining("Another Roomkeeper process is using the store directory")
			.hasMessageContaining("rooms.store.dir");
	}

	@Test
	void fileOfWhenCodeCouldEscapeTheDirectoryThenRefused() {
		RoomFiles files = new RoomFiles(this.dir, this.jsonMapper);
		for (String code : List.of("../ABC", "ABC/../../x", "abc234", "..", "A", "A B C")) {
			assertThatIllegalArgumentException().isThrownBy(() -> files.fileOf(code));
		}
		assertThat(files.fileOf("ABC-234")).isEqualTo(this.dir.resolve("ABC-234.json"));
	}

	@Test
	@ExpectedErrorLogs(value = "dev.roomkeeper.store.file.GroupCommitWriter",
			because = "a room with an invalid code cannot be stored (store-write-dropped)")
	void writeWhenOneRoomCannotBeStoredThenOtherRoomsAreStillStored() throws Exception {
		assertThatThrownBy(() -> this.repository.create(TestRooms.room("AB", NOW)))
			.isInstanceOf(dev.roomkeeper.room.StoreUnavailableException.class);

		this.repository.create(TestRooms.room("GOOD22", NOW));
		this.repository.update("GOOD22", (room) -> ChangeResult.save(room.edit().name("Stored").build(), true),
				Durability.DURABLE);

		assertThat(fileText("GOOD22")).contains("Stored");
		assertThat(this.dir.resolve("AB.json")).doesNotExist();
	}

	@Test
	@ExpectedErrorLogs(value = "dev.roomkeeper.store.file.Checkpointer",
			because = "a room file cannot be written (store-room-file-write-failed)")
	void durableWriteWhenItsRoomFileCannotBeWrittenThenItIsJournaledAndTheFileIsWrittenOnceItCan() throws Exception {
		this.repository.create(TestRooms.room("BAD234", NOW));
		this.repository.create(TestRooms.room("GOOD22", NOW));
		// a directory where the room's temp file goes: the room file cannot be written
		Path blocker = Files.createDirectory(this.dir.resolve("BAD234.json.tmp"));

		this.repository.update("BAD234", (room) -> ChangeResult.save(room.edit().name("Durable").build(), true),
				Durability.DURABLE);
		this.repository.update("GOOD22", (room) -> ChangeResult.save(room.edit().name("Stored").build(), true),
				Durability.DURABLE);
		assertThat(fileText("BAD234")).contains("Durable");
		assertThatThrownBy(this.repository::flush).isInstanceOf(dev.roomkeeper.room.StoreUnavailableException.class);
		assertThat(Files.readString(this.dir.resolve("GOOD22.json"))).contains("Stored");
		assertThat(((JsonFileRoomRepository) this.repository).lastWriteError()).contains("room file");
		assertThat(fileText("BAD234")).as("kept in the journal").contains("Durable");

		Files.delete(blocker);
		this.repository.flush();
		assertThat(Files.readString(this.dir.resolve("BAD234.json"))).contains("Durable");
		assertThat(((JsonFileRoomRepository) this.repository).lastWriteError()).isNull();
	}

	@Test
	@ExpectedErrorLogs(value = "dev.roomkeeper.store.file.GroupCommitWriter",
			because = "the journal cannot be written (store-journal-write-failed)")
	void durableWriteWhenTheJournalCannotBeWrittenThenItFailsAndIsStoredOnceItCan() throws Exception {
		closeRepository(this.repository);
		JsonFileRoomRepository store = open(Duration.ofMillis(50));
		this.repository = store;
		store.create(TestRooms.room("ABC234", NOW));
		store.flush();
		// a file where the journal's directory goes: nothing can be journaled
		Path blocker = Files.writeString(this.dir.resolve(RoomJournal.DIR), "in the way");

		assertThatThrownBy(() -> store.update("ABC234",
				(room) -> ChangeResult.save(room.edit().name("Durable").build(), true), Durability.DURABLE))
			.isInstanceOf(dev.roomkeeper.room.StoreUnavailableException.class);
		assertThat(store.lastWriteError()).isNotNull();

		Files.delete(blocker);
		await().atMost(Duration.ofSeconds(10)).until(() -> store.lastWriteError() == null);
		assertThat(fileText("ABC234")).as("retried").contains("Durable");
	}

	@Test
	void storedFileHoldsNoSecrets() throws Exception {
		this.repository.create(TestRooms.room("ABC234", NOW));

		assertThat(fileText("ABC234")).doesNotContain("owner-ABC234").contains("ownerTokenHash");
	}

	private void write(String name, String content) throws Exception {
		Files.write(this.dir.resolve(name), content.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void reopenWhenRoomsStoredThenLifecycleQueriesFindThem() {
		create(withMembers(TestRooms.room("AAA", minute(2)), connected("a1", minute(0))));
		create(withMembers(TestRooms.room("BBB", minute(-1)), disconnected("b1", minute(-1))));

		reopen();

		assertThat(this.repository.findInactiveSince(minute(2), 10)).containsExactly("BBB", "AAA");
		assertThat(this.repository.findUnwarnedInactiveSince(minute(2), 10)).containsExactly("BBB", "AAA");
		// a1 was connected when the store closed: it is loaded disconnected, seen at the
		// load (clock: minute 1)
		assertThat(this.repository.findWithMembersDisconnectedSince(minute(0), 10)).containsExactly("BBB");
		assertThat(this.repository.findWithMembersDisconnectedSince(minute(1), 10)).containsExactly("BBB", "AAA");
		assertThat(this.repository.findWithoutConnectedMembers(10)).containsExactly("BBB", "AAA");
	}

	@Test
	void findPageAfterRestartWalksTheRoomsLoadedFromFiles() {
		this.repository.create(TestRooms.room("BBB", NOW));
		this.repository.create(TestRooms.room("AAA", NOW));

		JsonFileRoomRepository reopened = reopen();

		assertThat(reopened.findPage(null, 10)).extracting(Room::code).containsExactly("AAA", "BBB");
	}

}
