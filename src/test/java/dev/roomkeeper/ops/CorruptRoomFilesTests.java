package dev.roomkeeper.ops;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.health.contributor.Status;

import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.store.file.JsonFileRoomRepository;
import dev.roomkeeper.support.ExpectedErrorLogs;
import dev.roomkeeper.support.TestRooms;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16's corrupt-file proof on the file store: over several start-ups, more than a
 * thousand damaged files of every kind (torn, empty, binary, not JSON, JSON of another
 * shape, a room under another file name, names that are not room codes, symbolic links,
 * directories) lie among good rooms. Every start-up succeeds, every damaged file is set
 * aside under {@code corrupt/} (a directory, not being a file, is left where it is, and a
 * link's target is never touched), every good room is served as it was stored, and health
 * is UP.
 */
@ExpectedErrorLogs(value = { "dev.roomkeeper.store.file" }, because = "corrupt room files are set aside")
class CorruptRoomFilesTests {

	private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

	private static final int GOOD_ROOMS = 100;

	private static final int ROUNDS = 3;

	private static final int DAMAGED_PER_ROUND = 380;

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	@TempDir
	Path dir;

	/** Where the symbolic links point: beside the rooms, never read by the store. */
	private Path outside;

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

	@Test
	void everyStartUpAmongAThousandDamagedFilesServesTheGoodRoomsAndSetsTheRestAside() throws Exception {
		this.outside = Files.createDirectory(this.dir.resolve("elsewhere"));
		JsonFileRoomRepository store = open();
		for (int i = 0; i < GOOD_ROOMS; i++) {
			store.create(TestRooms.room(goodCode(i), NOW).edit().name("good " + i).build());
		}
		store.close();
		this.repository = null;
		Random random = new Random(16);
		int damaged = 0;
		for (int round = 0; round < ROUNDS; round++) {
			for (int i = 0; i < DAMAGED_PER_ROUND; i++) {
				if (damage(round * DAMAGED_PER_ROUND + i, random)) {
					damaged++;
				}
			}

			JsonFileRoomRepository reopened = open();

			for (int i = 0; i < GOOD_ROOMS; i++) {
				assertThat(reopened.find(goodCode(i))).as(goodCode(i))
					.get()
					.extracting(Room::name)
					.isEqualTo("good " + i);
			}
			assertThat(reopened.count()).isEqualTo(GOOD_ROOMS);
			assertThat(setAside()).as("round %d", round).isEqualTo(damaged);
			try (Stream<Path> left = Files.list(this.dir)) {
				assertThat(left.filter((path) -> !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS))
					.map((path) -> path.getFileName().toString()))
					.as("only the good rooms' files are left (and directories, which are not files)")
					.allMatch((name) -> name.matches("G\\d{5}\\.json") || !name.endsWith(".json"));
			}
			assertThat(new FileStoreHealthIndicator(reopened, 0).health().getStatus()).isEqualTo(Status.UP);
			reopened.close();
			this.repository = null;
		}
		assertThat(damaged).as("damaged files set aside").isGreaterThanOrEqualTo(1_000);
		try (Stream<Path> targets = Files.list(this.outside)) {
			assertThat(targets).as("link targets are never touched").hasSizeGreaterThan(0);
		}
	}

	/**
	 * Puts the {@code n}th damaged entry in the store directory.
	 * @return whether it is a file to be set aside (a directory is left where it is)
	 */
	private boolean damage(int n, Random random) throws Exception {
		String good = this.jsonMapper.writeValueAsString(TestRooms.room("D" + String.format("%05d", n), NOW));
		IntFunction<String> code = (i) -> "D" + String.format("%05d", i);
		switch (n % 12) {
			case 0 -> write(code.apply(n) + ".json", good.substring(0, 1 + random.nextInt(good.length() - 1)));
			case 1 -> write(code.apply(n) + ".json", "");
			case 2 -> {
				byte[] garbage = new byte[1 + random.nextInt(512)];
				random.nextBytes(garbage);
				Files.write(this.dir.resolve(code.apply(n) + ".json"), garbage);
			}
			case 3 -> write(code.apply(n) + ".json", "not json at all " + n);
			case 4 -> write(code.apply(n) + ".json", "[1, 2, 3]");
			case 5 -> write(code.apply(n) + ".json", "{\"code\": \"" + code.apply(n) + "\", \"members\": 7}");
			case 6 -> write(code.apply(n) + ".json", good.replace(code.apply(n), "OTHER" + n));
			case 7 -> write("d" + String.format("%05d", n) + ".json", good);
			case 8 -> write("bad name " + n + ".json", good);
			case 9 -> write("ÄÖ" + n + ".json", good);
			case 10 -> {
				Path target = Files.writeString(this.outside.resolve(code.apply(n) + ".json"), good);
				Files.createSymbolicLink(this.dir.resolve(code.apply(n) + ".json"), target);
			}
			default -> {
				Files.createDirectory(this.dir.resolve(code.apply(n) + ".json"));
				return false;
			}
		}
		return true;
	}

	private void write(String name, String content) throws Exception {
		Files.write(this.dir.resolve(name), content.getBytes(StandardCharsets.UTF_8));
	}

	private long setAside() throws Exception {
		Path corrupt = this.dir.resolve("corrupt");
		if (!Files.isDirectory(corrupt)) {
			return 0;
		}
		try (Stream<Path> aside = Files.list(corrupt)) {
			return aside.count();
		}
	}

	private static String goodCode(int i) {
		return "G" + String.format("%05d", i);
	}

}
