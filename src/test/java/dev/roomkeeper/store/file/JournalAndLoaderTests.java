package dev.roomkeeper.store.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.room.ChangeResult;
import dev.roomkeeper.room.Durability;
import dev.roomkeeper.support.TestRooms;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The journal and the loader of the file store on real files: replay over the room files,
 * torn and corrupt tails, file names that are not room codes, symbolic links, and the
 * permissions of everything the store writes.
 */
@ExtendWith(OutputCaptureExtension.class)
class JournalAndLoaderTests {

	private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	@TempDir
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

	private Room named(String code, String name) {
		return TestRooms.room(code, NOW).edit().name(name).build();
	}

	private byte[] json(Room room) {
		return this.jsonMapper.writeValueAsBytes(room);
	}

	private Path segment() throws IOException {
		List<Long> numbers = RoomJournal.segmentNumbers(this.dir);
		assertThat(numbers).isNotEmpty();
		return RoomJournal.segment(this.dir.resolve(RoomJournal.DIR), numbers.get(numbers.size() - 1));
	}

	@Test
	void openThenTheJournalIsReplayedOverTheRoomFilesAndTheLastRecordOfARoomWins() throws Exception {
		Files.write(this.dir.resolve("FILE22.json"), json(named("FILE22", "from the file")));
		Files.write(this.dir.resolve("GONE22.json"), json(named("GONE22", "deleted later")));
		Files.write(this.dir.resolve("BOTH22.json"), json(named("BOTH22", "old")));
		RoomJournal journal = new RoomJournal(this.dir, 1);
		journal.append(List.of(RoomJournal.Entry.put("BOTH22", json(named("BOTH22", "newer"))),
				RoomJournal.Entry.put("ONLY22", json(named("ONLY22", "only journaled")))));
		journal.append(List.of(RoomJournal.Entry.delete("GONE22"),
				RoomJournal.Entry.put("BOTH22", json(named("BOTH22", "newest")))));
		journal.close();

		JsonFileRoomRepository store = open();

		assertThat(store.findAll()).extracting(Room::code, Room::name)
			.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("FILE22", "from the file"),
					org.assertj.core.groups.Tuple.tuple("BOTH22", "newest"),
					org.assertj.core.groups.Tuple.tuple("ONLY22", "only journaled"));
		store.flush();
		assertThat(Files.readString(this.dir.resolve("BOTH22.json"))).contains("newest");
		assertThat(this.dir.resolve("ONLY22.json")).exists();
		assertThat(this.dir.resolve("GONE22.json")).doesNotExist();
		assertThat(this.dir.resolve(RoomJournal.DIR)).as("covered by the checkpoint: dropped").doesNotExist();
	}

	@Test
	void openWhenTheJournalEndsInATornRecordThenTheTailIsCutAndLoggedAndEverythingBeforeLoads(CapturedOutput output)
			throws Exception {
		RoomJournal journal = new RoomJournal(this.dir, 1);
		journal.append(List.of(RoomJournal.Entry.put("ROOM22", json(named("ROOM22", "first")))));
		journal.append(List.of(RoomJournal.Entry.put("ROOM22", json(named("ROOM22", "second")))));
		journal.close();
		long intact = Files.size(segment());
		byte[] torn = new byte[200];
		RoomJournal other = new RoomJournal(this.dir.resolve("other"), 1);
		other.append(List.of(RoomJournal.Entry.put("ROOM22", json(named("ROOM22", "SECRET-THIRD")))));
		other.close();
		byte[] third = Files.readAllBytes(RoomJournal.segment(this.dir.resolve("other").resolve(RoomJournal.DIR), 1));
		System.arraycopy(third, RoomJournal.MAGIC.length, torn, 0, torn.length);
		appendTo(segment(), torn);

		JsonFileRoomRepository store = open();

		assertThat(store.find("ROOM22")).get().extracting(Room::name).isEqualTo("second");
		// The replayed room is checkpointed in the background, which then drops the
		// segment:
		// until then the segment holds the intact records only.
		Path segment = RoomJournal.segment(this.dir.resolve(RoomJournal.DIR), 1);
		long size;
		try {
			size = Files.size(segment);
		}
		catch (java.nio.file.NoSuchFileException ex) {
			size = intact;
		}
		assertThat(size).as("the torn tail is cut off").isEqualTo(intact);
		store.flush();
		assertThat(Files.readString(this.dir.resolve("ROOM22.json"))).contains("second").doesNotContain("SECRET-THIRD");
		assertThat(output).contains("event=store-journal-tail-cut")
			.contains("reason=\"short record\"")
			.contains("journalTornTails=1")
			.doesNotContain("SECRET-THIRD");
	}

	@Test
	void openWhenARecordHasAWrongChecksumThenItAndTheRestOfItsSegmentAreCutAndLaterSegmentsStillLoad(
			CapturedOutput output) throws Exception {
		RoomJournal journal = new RoomJournal(this.dir, 1);
		journal.append(List.of(RoomJournal.Entry.put("ROOM22", json(named("ROOM22", "first")))));
		long firstEnd = Files.size(segment());
		journal.append(List.of(RoomJournal.Entry.put("ROOM22", json(named("ROOM22", "flipped")))));
		journal.rotate();
		journal.append(List.of(RoomJournal.Entry.put("NEXT22", json(named("NEXT22", "next segment")))));
		journal.close();
		Path first = RoomJournal.segment(this.dir.resolve(RoomJournal.DIR), 1);
		byte[] bytes = Files.readAllBytes(first);
		bytes[bytes.length - 3] ^= 0x20;
		Files.write(first, bytes);

		JsonFileRoomRepository store = open();

		assertThat(store.find("ROOM22")).get().extracting(Room::name).isEqualTo("first");
		assertThat(store.find("NEXT22")).get().extracting(Room::name).isEqualTo("next segment");
		assertThat(Files.size(first)).isEqualTo(firstEnd);
		assertThat(output).contains("reason=checksum");
	}

	@Test
	void openWhenTheJournalIsGarbageThenStartUpStillSucceeds() throws Exception {
		Files.write(this.dir.resolve("GOOD22.json"), json(named("GOOD22", "good")));
		Path journalDir = Files.createDirectories(this.dir.resolve(RoomJournal.DIR));
		Files.write(RoomJournal.segment(journalDir, 1), new byte[] { 'R', 'K' });
		Files.write(RoomJournal.segment(journalDir, 2),
				"RKJOURN1\u0000\u0000\u0000\u0000zzzz".getBytes(StandardCharsets.ISO_8859_1));
		Files.write(RoomJournal.segment(journalDir, 3), new byte[4096]);

		JsonFileRoomRepository store = open();

		assertThat(store.findAll()).extracting(Room::code).containsExactly("GOOD22");
		store.create(named("NEW222", "after"));
		assertThat(DiskView.json(this.dir, "NEW222")).contains("after");
		store.flush();
		assertThat(RoomJournal.segmentNumbers(this.dir)).as("covered by a checkpoint").isEmpty();
		assertThat(this.dir.resolve("NEW222.json")).exists();
	}

	@Test
	void loadWhenFileNamesAreNotWritableRoomCodesThenTheyAreSetAsideAndEveryLoadedRoomCanBeWritten(
			CapturedOutput output) throws Exception {
		byte[] good = json(named("GOOD22", "good"));
		Files.write(this.dir.resolve("GOOD22.json"), good);
		Files.write(this.dir.resolve("CON.json"), json(named("CON", "a code like any other on Linux")));
		for (String name : List.of("a b", "abcdef", "-rf", "ÄÖÜ123", "ab", "GOOD22.JSON.bak")) {
			Files.write(this.dir.resolve(name + ".json"),
					new String(good, StandardCharsets.UTF_8).replace("GOOD22", name).getBytes(StandardCharsets.UTF_8));
		}
		Files.writeString(this.dir.resolve("JUNK22.json"), "{\"code\": SECRET-CONTENT-42 }");
		Path outside = Files.createTempFile("outside", ".json");
		Files.write(outside, json(named("LINK22", "outside the store")));
		Files.createSymbolicLink(this.dir.resolve("LINK22.json"), outside);
		Files.createSymbolicLink(this.dir.resolve("LOOP22.json"), this.dir.resolve("LOOP22.json"));
		Files.createDirectory(this.dir.resolve("DIR222.json"));

		JsonFileRoomRepository store = open();

		assertThat(store.findAll()).extracting(Room::code).containsExactlyInAnyOrder("GOOD22", "CON");
		try (Stream<Path> aside = Files.list(this.dir.resolve("corrupt"))) {
			assertThat(aside.map((path) -> path.getFileName().toString().replaceAll("\\.json\\.\\d+$", "")))
				.containsExactlyInAnyOrder("a b", "abcdef", "-rf", "ÄÖÜ123", "ab", "GOOD22.JSON.bak", "JUNK22",
						"LINK22", "LOOP22");
		}
		assertThat(outside).as("a link is moved, never its target").exists();
		assertThat(Files.readString(outside)).contains("LINK22");
		assertThat(output).contains("reason=\"a symbolic link (never followed)\"")
			.doesNotContain("SECRET-CONTENT-42")
			.doesNotContain("outside the store");

		for (Room room : store.findAll()) {
			store.update(room.code(), (current) -> ChangeResult.save(current.edit().name("written").build(), true),
					Durability.DURABLE);
		}
		store.flush();
		assertThat(store.lastWriteError()).isNull();
		assertThat(Files.readString(this.dir.resolve("CON.json"))).contains("written");
		Files.delete(outside);
	}

	@Test
	void aRoomFileLoadedAfterACleanStopIsMadeOwnerOnlyAndOneThatIsAlreadyIsNotTouched() throws Exception {
		JsonFileRoomRepository first = open();
		first.create(named("OPEN22", "open"));
		first.create(named("OWNED2", "owned"));
		first.close();
		this.repository = null;
		Path open = this.dir.resolve("OPEN22.json");
		Path owned = this.dir.resolve("OWNED2.json");
		Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-rw-rw-"));
		Object ownedChanged = Files.getAttribute(owned, "unix:ctime");

		JsonFileRoomRepository store = open();

		assertThat(store.find("OPEN22")).isPresent();
		assertThat(permissions(open)).as("made owner-only by the load itself").isEqualTo("rw-------");
		assertThat(permissions(owned)).isEqualTo("rw-------");
		assertThat(Files.getAttribute(owned, "unix:ctime")).as("no chmod of a file that is owner-only already")
			.isEqualTo(ownedChanged);
	}

	@Test
	void everyFileTheStoreWritesIsOwnerOnlyAndItsDirectoriesTooWhateverWasThereBefore() throws Exception {
		Files.setPosixFilePermissions(this.dir, PosixFilePermissions.fromString("rwxrwxrwx"));
		Path old = Files.write(this.dir.resolve("OLD222.json"), json(named("OLD222", "old")));
		Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-rw-rw-"));
		Files.writeString(this.dir.resolve("bad.json"), "not a room");

		JsonFileRoomRepository store = open();
		store.create(named("NEW222", "new"));
		assertThat(permissions(this.dir.resolve(RoomJournal.DIR))).isEqualTo("rwx------");
		assertThat(permissions(segment())).isEqualTo("rw-------");
		store.flush();

		assertThat(permissions(this.dir)).isEqualTo("rwx------");
		assertThat(permissions(this.dir.resolve("NEW222.json"))).isEqualTo("rw-------");
		assertThat(permissions(old)).as("loaded").isEqualTo("rw-------");
		assertThat(permissions(this.dir.resolve("corrupt"))).isEqualTo("rwx------");
		assertThat(permissions(this.dir.resolve(".lock"))).isEqualTo("rw-------");
		store.close();
		this.repository = null;
		assertThat(permissions(this.dir.resolve(JsonFileRoomRepository.CLEAN_STOP_MARKER))).isEqualTo("rw-------");
	}

	@Test
	void closeWhenTheStoreRanThenTheRoomFilesAloneHoldEveryRoomAndTheJournalIsGone() throws Exception {
		JsonFileRoomRepository store = open();
		store.create(named("ROOM22", "created"));
		store.update("ROOM22", (room) -> ChangeResult.save(room.edit().name("changed").build(), true),
				Durability.DEFERRED);
		store.close();
		this.repository = null;

		assertThat(Files.readString(this.dir.resolve("ROOM22.json"))).contains("changed");
		assertThat(this.dir.resolve(RoomJournal.DIR)).doesNotExist();
	}

	private static String permissions(Path path) throws IOException {
		return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
	}

	private static void appendTo(Path file, byte[] bytes) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.APPEND)) {
			channel.write(java.nio.ByteBuffer.wrap(bytes));
		}
	}

}
