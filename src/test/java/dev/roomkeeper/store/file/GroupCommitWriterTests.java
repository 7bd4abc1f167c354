package dev.roomkeeper.store.file;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.StoreUnavailableException;
import dev.roomkeeper.store.local.LocalRoomTable;
import dev.roomkeeper.support.ExpectedErrorLogs;
import dev.roomkeeper.support.TestRooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class GroupCommitWriterTests {

	private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

	@TempDir
	Path dir;

	@Test
	@ExpectedErrorLogs(value = "dev.roomkeeper.store.file.GroupCommitWriter",
			because = "a room file cannot be written (store-write-failed)")
	void batchWhenOneRoomCannotBeWrittenThenOnlyTheWaitersOfThatRoomFail() throws Exception {
		Map<String, Room> rooms = Map.of("GATE22", TestRooms.room("GATE22", NOW), "BAD234",
				TestRooms.room("BAD234", NOW), "GOOD22", TestRooms.room("GOOD22", NOW));
		// a directory where the room's temp file goes: the room cannot be written
		Files.createDirectory(this.dir.resolve("BAD234.json.tmp"));
		CountDownLatch writerAtGate = new CountDownLatch(1);
		CountDownLatch openGate = new CountDownLatch(1);
		Function<String, Room> currentRoom = (code) -> {
			if (code.equals("GATE22")) {
				writerAtGate.countDown();
				awaitQuietly(openGate);
			}
			return rooms.get(code);
		};
		GroupCommitWriter writer = new GroupCommitWriter(new RoomFiles(this.dir, JsonMapper.builder().build()),
				currentRoom, Duration.ofMinutes(10), new SimpleMeterRegistry().timer("writes"));
		try {
			LocalRoomTable.Ticket gate = writer.changed("GATE22", Durability.DURABLE);
			assertThat(writerAtGate.await(10, TimeUnit.SECONDS)).isTrue();
			// the first batch is being written: the next two rooms wait for the same
			// batch
			LocalRoomTable.Ticket bad = writer.changed("BAD234", Durability.DURABLE);
			LocalRoomTable.Ticket good = writer.changed("GOOD22", Durability.DURABLE);
			openGate.countDown();

			gate.await();
			good.await();
			assertThat(this.dir.resolve("GOOD22.json")).exists();
			assertThatThrownBy(bad::await).isInstanceOf(StoreUnavailableException.class);
			assertThat(this.dir.resolve("BAD234.json")).doesNotExist();
			assertThat(writer.lastError()).isEqualTo("could not store 1 room(s)");
		}
		finally {
			openGate.countDown();
			writer.close();
		}
	}

	@Test
	void activityOnlyChangesWaitForTheActivityIntervalUnlessTheRoomChangesOtherwiseOrAFlushComes() {
		Map<String, Room> rooms = Map.of("CHAT22", TestRooms.room("CHAT22", NOW), "STAT22",
				TestRooms.room("STAT22", NOW), "BOTH22", TestRooms.room("BOTH22", NOW));
		GroupCommitWriter writer = new GroupCommitWriter(new RoomFiles(this.dir, JsonMapper.builder().build()),
				rooms::get, Duration.ofMillis(20), Duration.ofHours(1), new SimpleMeterRegistry().timer("writes"));
		try {
			writer.changed("CHAT22", Durability.ACTIVITY);
			writer.changed("BOTH22", Durability.ACTIVITY);
			writer.changed("BOTH22", Durability.DEFERRED);
			writer.changed("STAT22", Durability.DEFERRED);

			await().atMost(Duration.ofSeconds(10))
				.until(() -> Files.exists(this.dir.resolve("STAT22.json"))
						&& Files.exists(this.dir.resolve("BOTH22.json")));
			assertThat(this.dir.resolve("CHAT22.json")).as("only activity: waits for the activity interval")
				.doesNotExist();

			writer.flush();
			assertThat(this.dir.resolve("CHAT22.json")).exists();
		}
		finally {
			writer.close();
		}
	}

	@Test
	void activityAfterTheRoomWasWrittenForAnotherChangeIsStillStoredWithinTheActivityInterval() {
		AtomicReference<Room> current = new AtomicReference<>(TestRooms.room("CHAT22", NOW));
		GroupCommitWriter writer = new GroupCommitWriter(new RoomFiles(this.dir, JsonMapper.builder().build()),
				(code) -> current.get(), Duration.ofMillis(20), Duration.ofMillis(200),
				new SimpleMeterRegistry().timer("writes"));
		Path file = this.dir.resolve("CHAT22.json");
		try {
			writer.changed("CHAT22", Durability.ACTIVITY);
			writer.changed("CHAT22", Durability.DEFERRED);
			await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file));

			current.set(TestRooms.room("CHAT22", NOW.plusSeconds(60)));
			writer.changed("CHAT22", Durability.ACTIVITY);

			await().atMost(Duration.ofSeconds(10))
				.until(() -> Files.readString(file).contains(NOW.plusSeconds(60).toString()));
		}
		finally {
			writer.close();
		}
	}

	@Test
	void activityOnlyChangesAreStoredWhenTheWriterCloses() {
		GroupCommitWriter writer = new GroupCommitWriter(new RoomFiles(this.dir, JsonMapper.builder().build()),
				(code) -> TestRooms.room(code, NOW), Duration.ofMillis(20), Duration.ofHours(1),
				new SimpleMeterRegistry().timer("writes"));
		writer.changed("CHAT22", Durability.ACTIVITY);

		assertThat(writer.close()).isTrue();

		assertThat(this.dir.resolve("CHAT22.json")).exists();
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
