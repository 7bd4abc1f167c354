package dev.roomkeeper.store.file;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.room.HistoryEvent;
import dev.roomkeeper.room.Member;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomHistory;
import dev.roomkeeper.support.TestRooms;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loader on its own: what every room goes through once (the journal's seq raises, its
 * members disconnected, the raise and the new epoch after a stop that was not clean),
 * wherever its latest version is read from, and journal records parsed from their
 * segments or from copies alike.
 */
class StoreLoaderTests {

	private static final Instant THEN = Instant.parse("2030-01-01T00:00:00Z");

	private static final Instant NOW = Instant.parse("2030-01-02T00:00:00Z");

	private static final long MARGIN = JsonFileRoomRepository.SEQ_MARGIN_AFTER_CRASH;

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	@TempDir
	Path dir;

	private Room room(String code, long seq, boolean connected) {
		Member member = TestRooms.member("m-" + code, "Ann", THEN).withPresence(connected, THEN);
		List<HistoryEvent> events = new ArrayList<>();
		for (long s = 1; s <= seq; s++) {
			events.add(new HistoryEvent(s, "{\"type\":\"message\",\"room\":\"" + code + "\",\"seq\":" + s
					+ ",\"data\":{\"text\":\"caf\u00e9 \\\"" + s + "\\\"\"}}"));
		}
		return TestRooms.room(code, THEN)
			.edit()
			.members(List.of(member))
			.seq(seq)
			.history(new RoomHistory("epoch-" + code, events))
			.build();
	}

	private void file(Room room) throws Exception {
		Files.write(this.dir.resolve(room.code() + ".json"), this.jsonMapper.writeValueAsBytes(room));
	}

	private RoomJournal.Entry put(Room room) {
		return RoomJournal.Entry.put(room.code(), this.jsonMapper.writeValueAsBytes(room));
	}

	private static RoomJournal.Entry raise() {
		return new RoomJournal.Entry(RoomJournal.RAISE_SEQ, "",
				Long.toString(MARGIN).getBytes(StandardCharsets.US_ASCII));
	}

	private Map<String, Room> load(long maxReferredBytes, boolean cleanStop) {
		StoreLoader.Loaded loaded = new StoreLoader(new RoomFiles(this.dir, this.jsonMapper), maxReferredBytes)
			.load(NOW, !cleanStop, MARGIN);
		return loaded.rooms().stream().collect(Collectors.toMap(Room::code, Function.identity()));
	}

	/**
	 * ONLYFILE is only in its file (and was written before the journal's raise), BEFORE
	 * is journaled before the raise, AFTER after it, GONE is deleted, and ORPHAN1 has a
	 * file that its journal record replaces.
	 */
	private void journalAroundARaise() throws Exception {
		file(room("ONLYFILE", 3, true));
		file(room("ORPHAN1", 1, false));
		file(room("GONE22", 2, false));
		RoomJournal journal = new RoomJournal(this.dir, 1);
		journal.append(List.of(put(room("BEFORE", 5, true)), put(room("ORPHAN1", 4, true))));
		journal.rotate();
		journal.append(List.of(raise()));
		journal.append(List.of(put(room("AFTER1", 7, false)), RoomJournal.Entry.delete("GONE22")));
		journal.close();
	}

	@Test
	void loadAfterACleanStopThenTheJournalsRaisesApplyToTheVersionsBeforeThemAndMembersAreDisconnected()
			throws Exception {
		journalAroundARaise();

		Map<String, Room> rooms = load(StoreLoader.MAX_REFERRED_BYTES, true);

		assertThat(rooms).containsOnlyKeys("ONLYFILE", "ORPHAN1", "BEFORE", "AFTER1");
		assertThat(rooms.get("ONLYFILE").seq()).isEqualTo(3 + MARGIN);
		assertThat(rooms.get("BEFORE").seq()).isEqualTo(5 + MARGIN);
		assertThat(rooms.get("ORPHAN1").seq()).isEqualTo(4 + MARGIN);
		assertThat(rooms.get("AFTER1").seq()).isEqualTo(7);
		for (Room room : rooms.values()) {
			assertThat(room.epoch()).isEqualTo("epoch-" + room.code());
			assertThat(room.members()).allSatisfy((member) -> assertThat(member.connected()).isFalse());
			assertThat(room.history().events())
				.isEqualTo(room(room.code(), room.history().events().size(), false).history().events());
		}
		assertThat(rooms.get("ONLYFILE").members().get(0).lastSeenAt()).isEqualTo(NOW);
		assertThat(rooms.get("ORPHAN1").members().get(0).lastSeenAt()).isEqualTo(NOW);
		assertThat(rooms.get("AFTER1").members().get(0).lastSeenAt()).isEqualTo(THEN);
	}

	@Test
	void loadAfterAStopThatWasNotCleanThenEverySeqIsRaisedOnceMoreUnderANewEpoch() throws Exception {
		journalAroundARaise();

		Map<String, Room> rooms = load(StoreLoader.MAX_REFERRED_BYTES, false);

		assertThat(rooms.get("ONLYFILE").seq()).isEqualTo(3 + 2 * MARGIN);
		assertThat(rooms.get("BEFORE").seq()).isEqualTo(5 + 2 * MARGIN);
		assertThat(rooms.get("ORPHAN1").seq()).isEqualTo(4 + 2 * MARGIN);
		assertThat(rooms.get("AFTER1").seq()).isEqualTo(7 + MARGIN);
		for (Room room : rooms.values()) {
			assertThat(room.epoch()).isNotEqualTo("epoch-" + room.code());
			assertThat(room.members()).allSatisfy((member) -> assertThat(member.connected()).isFalse());
			assertThat(room.history().events()).hasSize((int) (room.seq() % MARGIN));
		}
	}

	@Test
	void loadWhenTheJournalIsParsedFromCopiesThenTheSameRoomsAsFromItsSegments() throws Exception {
		journalAroundARaise();
		Path copy = Files.createDirectories(this.dir.resolveSibling(this.dir.getFileName() + "-copy"));
		try {
			copyStore(this.dir, copy);
			Map<String, Room> fromSegments = load(StoreLoader.MAX_REFERRED_BYTES, true);
			Map<String, Room> fromCopies = new StoreLoader(new RoomFiles(copy, this.jsonMapper), 0)
				.load(NOW, false, MARGIN)
				.rooms()
				.stream()
				.collect(Collectors.toMap(Room::code, Function.identity()));

			assertThat(fromCopies).isEqualTo(fromSegments);
		}
		finally {
			deleteStore(copy);
		}
	}

	private static void copyStore(Path from, Path to) throws Exception {
		try (var paths = Files.walk(from)) {
			for (Path path : paths.toList()) {
				Path target = to.resolve(from.relativize(path).toString());
				if (Files.isDirectory(path)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(path, target);
				}
			}
		}
	}

	private static void deleteStore(Path dir) throws Exception {
		try (var paths = Files.walk(dir)) {
			for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

	@Test
	void inParallelRunsEveryItemOnce() {
		for (int size : new int[] { 0, 1, 255, 256, 257, 10_000 }) {
			List<Integer> items = IntStream.range(0, size).boxed().toList();
			AtomicIntegerArray runs = new AtomicIntegerArray(size);
			StoreLoader.inParallel(items, runs::incrementAndGet);
			for (int i = 0; i < size; i++) {
				assertThat(runs.get(i)).as("item %d of %d", i, size).isEqualTo(1);
			}
		}
	}

}
