package dev.roomkeeper.store.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.room.ChangeResult;
import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.HistoryEvent;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomHistory;
import dev.roomkeeper.room.event.MessageEvent;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.support.TestRooms;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A busy room's journal records carry only the history events the journal does not hold
 * yet (history tails), and a restart from the journal (as after {@code kill -9}) still
 * gives back every stored event of the room's history, in order, without a gap.
 */
class HistoryTailJournalTests {

	private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

	private static final int HISTORY_SIZE = 10;

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	@TempDir
	Path dir;

	@TempDir
	Path copy;

	private final List<JsonFileRoomRepository> opened = new ArrayList<>();

	@AfterEach
	void close() {
		this.opened.forEach(JsonFileRoomRepository::close);
	}

	private JsonFileRoomRepository open(Path dir) {
		JsonFileRoomRepository repository = new JsonFileRoomRepository(dir, Duration.ofMillis(50),
				Duration.ofMillis(50), Duration.ofHours(1), this.jsonMapper, new RoomEventBus(this.jsonMapper),
				Clock.fixed(NOW, ZoneOffset.UTC), new SimpleMeterRegistry(), HISTORY_SIZE);
		this.opened.add(repository);
		return repository;
	}

	private void broadcast(JsonFileRoomRepository repository, String code, int count, Durability durability) {
		for (int i = 0; i < count; i++) {
			repository.update(code, (room) -> {
				Room next = room.nextSeq();
				return ChangeResult.save(next, null, new MessageEvent(code, NOW, next.seq(), "m1",
						this.jsonMapper.getNodeFactory().textNode("hi " + next.seq())));
			}, durability);
		}
	}

	/**
	 * The store directory as {@code kill -9} would leave it now: copied while it runs.
	 */
	private JsonFileRoomRepository restartFromACopy() throws IOException {
		try (Stream<Path> paths = Files.walk(this.dir)) {
			for (Path path : paths.toList()) {
				Path target = this.copy.resolve(this.dir.relativize(path).toString());
				if (Files.isDirectory(path)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
				}
			}
		}
		return open(this.copy);
	}

	private record Journaled(byte kind, int events) {
	}

	/**
	 * The journal's records for a room: their kinds and how many history events each
	 * carries.
	 */
	private List<Journaled> journaled(String code) throws IOException {
		RoomFiles files = new RoomFiles(this.dir, this.jsonMapper);
		List<Journaled> records = new ArrayList<>();
		JournalReader.replay(this.dir, (kind, recordCode, segment, offset, length) -> {
			byte[] json = (length > 0) ? java.util.Arrays.copyOfRange(segment, offset, offset + length) : null;
			if (!recordCode.equals(code)) {
				return;
			}
			byte[] roomJson = (kind == RoomJournal.TAIL) ? HistoryTail.of(json).json() : json;
			records.add(new Journaled(kind,
					(roomJson != null) ? files.parse(roomJson, code).history().events().size() : 0));
		}, false);
		return records;
	}

	private static List<Long> seqs(Room room) {
		return room.history().events().stream().map(HistoryEvent::seq).toList();
	}

	@Test
	void durableChangesOfARoomWithHistoryAreJournaledAsTailsOfOneEventEach() throws Exception {
		JsonFileRoomRepository store = open(this.dir);
		store.create(TestRooms.room("TAIL22", NOW));
		broadcast(store, "TAIL22", 25, Durability.DURABLE);

		List<Journaled> records = journaled("TAIL22");

		assertThat(records).hasSize(26);
		assertThat(records.get(0)).isEqualTo(new Journaled(RoomJournal.PUT, 0));
		assertThat(records.get(1)).as("the first event: all of the history is new")
			.isEqualTo(new Journaled(RoomJournal.PUT, 1));
		assertThat(records.subList(2, 26)).containsOnly(new Journaled(RoomJournal.TAIL, 1));
	}

	@Test
	void restartFromTheJournalThenTheHistoryIsTheLastEventsInOrderWithoutAGap() throws Exception {
		JsonFileRoomRepository store = open(this.dir);
		store.create(TestRooms.room("TAIL22", NOW));
		broadcast(store, "TAIL22", 25, Durability.DURABLE);
		Room before = store.findWithHistory("TAIL22").orElseThrow();

		Room after = restartFromACopy().findWithHistory("TAIL22").orElseThrow();

		assertThat(seqs(after)).containsExactly(16L, 17L, 18L, 19L, 20L, 21L, 22L, 23L, 24L, 25L);
		assertThat(after.history().events()).isEqualTo(before.history().events());
		assertThat(after.epoch()).as("not a clean stop: the history is not vouched for").isNotEqualTo(before.epoch());
	}

	@Test
	void restartAfterACheckpointThenTheTailsAfterItAreAddedToTheRoomFile() throws Exception {
		JsonFileRoomRepository store = open(this.dir);
		store.create(TestRooms.room("TAIL22", NOW));
		broadcast(store, "TAIL22", 4, Durability.DURABLE);
		store.flush();
		assertThat(journaled("TAIL22")).as("the checkpoint covered the journal").isEmpty();
		broadcast(store, "TAIL22", 3, Durability.DURABLE);
		assertThat(journaled("TAIL22")).containsOnly(new Journaled(RoomJournal.TAIL, 1));
		Room before = store.findWithHistory("TAIL22").orElseThrow();

		Room after = restartFromACopy().findWithHistory("TAIL22").orElseThrow();

		assertThat(seqs(after)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
		assertThat(after.history().events()).isEqualTo(before.history().events());
		assertThat(after.name()).isEqualTo(before.name());
	}

	@Test
	void moreEventsThanTheHistoryHoldsBetweenTwoRecordsThenTheRecordIsWholeAndTheHistoryExact() throws Exception {
		JsonFileRoomRepository store = open(this.dir);
		store.create(TestRooms.room("TAIL22", NOW));
		broadcast(store, "TAIL22", 3, Durability.DURABLE);
		// deferred: stored together by the next durable change
		broadcast(store, "TAIL22", HISTORY_SIZE + 2, Durability.ACTIVITY);
		broadcast(store, "TAIL22", 1, Durability.DURABLE);
		broadcast(store, "TAIL22", 2, Durability.ACTIVITY);
		broadcast(store, "TAIL22", 1, Durability.DURABLE);
		Room before = store.findWithHistory("TAIL22").orElseThrow();

		Room after = restartFromACopy().findWithHistory("TAIL22").orElseThrow();

		assertThat(seqs(after)).containsExactly(10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L);
		assertThat(after.history().events()).isEqualTo(before.history().events());
		List<Journaled> records = journaled("TAIL22");
		assertThat(records.get(records.size() - 2)).as("16 new events of a history of 10")
			.isEqualTo(new Journaled(RoomJournal.PUT, HISTORY_SIZE));
		assertThat(records.get(records.size() - 1)).isEqualTo(new Journaled(RoomJournal.TAIL, 3));
	}

	@Test
	void aRoomDeletedAndCreatedAgainStartsAWholeRecordAndKeepsNoEventOfTheOldOne() throws Exception {
		JsonFileRoomRepository store = open(this.dir);
		store.create(TestRooms.room("TAIL22", NOW));
		broadcast(store, "TAIL22", 5, Durability.DURABLE);
		store.update("TAIL22", (room) -> ChangeResult.delete(true), Durability.DURABLE);
		store.create(TestRooms.room("TAIL22", NOW));
		broadcast(store, "TAIL22", 2, Durability.DURABLE);

		Room after = restartFromACopy().findWithHistory("TAIL22").orElseThrow();

		assertThat(seqs(after)).containsExactly(1L, 2L);
	}

	@Test
	void aTailWhosePreviousVersionLacksTheEarlierEventsLeavesAGapThatIsNeverRecovered() {
		Room previous = TestRooms.room("TAIL22", NOW);
		RoomHistory epoch = previous.history();
		Room tailRoom = previous
			.withHistory(new RoomHistory(epoch.epoch(),
					List.of(new HistoryEvent(6, "{\"seq\":6}"), new HistoryEvent(7, "{\"seq\":7}"))))
			.edit()
			.seq(7)
			.build();
		Room withEarlier = previous.withHistory(new RoomHistory(epoch.epoch(),
				List.of(new HistoryEvent(4, "{\"seq\":4}"), new HistoryEvent(5, "{\"seq\":5}"))));

		Room complete = new HistoryTail(5, 4, new byte[0]).applyTo(withEarlier, tailRoom);
		Room gap = new HistoryTail(5, 4, new byte[0]).applyTo(previous, tailRoom);

		assertThat(seqs(complete)).containsExactly(4L, 5L, 6L, 7L);
		assertThat(complete.history().after(3L, 7, 100).complete()).isTrue();
		assertThat(seqs(gap)).containsExactly(6L, 7L);
		assertThat(gap.history().after(3L, 7, 100).complete()).as("events 4 and 5 are missing").isFalse();
		assertThat(gap.history().after(5L, 7, 100).complete()).isTrue();
	}

}
