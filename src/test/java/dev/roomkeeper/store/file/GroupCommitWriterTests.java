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
			because = "a room whose code names no file cannot be journaled (store-write-dropped)")
	void batchWhenOneRoomCannotBeWrittenThenOnlyTheWaitersOfThatRoomFail() throws Exception {
		// a code that can never name a file: the room cannot be written
		Map<String, Room> rooms = Map.of("GATE22", TestRooms.room("GATE22", NOW), "bad234",
				TestRooms.room("bad234", NOW), "GOOD22", TestRooms.room("GOOD22", NOW));
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
				new RoomJournal(this.dir, 1), currentRoom, Duration.ofMinutes(10),
				new SimpleMeterRegistry().timer("writes"));
		try {
			LocalRoomTable.Ticket gate = writer.changed("GATE22", Durability.DURABLE);
			assertThat(writerAtGate.await(10, TimeUnit.SECONDS)).isTrue();
			// the first batch is being written: the next two rooms wait for the same
			// batch
			LocalRoomTable.Ticket bad = writer.changed("bad234", Durability.DURABLE);
			LocalRoomTable.Ticket good = writer.changed("GOOD22", Durability.DURABLE);
			openGate.countDown();

			gate.await();
			good.await();
			assertThat(DiskView.exists(this.dir, "GOOD22")).isTrue();
			assertThatThrownBy(bad::await).isInstanceOf(StoreUnavailableException.class);
			assertThat(DiskView.exists(this.dir, "bad234")).isFalse();
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
				new RoomJournal(this.dir, 1), rooms::get, Duration.ofMillis(20), Duration.ofHours(1),
				new SimpleMeterRegistry().timer("writes"), () -> {
				});
		try {
			writer.changed("CHAT22", Durability.ACTIVITY);
			writer.changed("BOTH22", Durability.ACTIVITY);
			writer.changed("BOTH22", Durability.DEFERRED);
			writer.changed("STAT22", Durability.DEFERRED);

			await().atMost(Duration.ofSeconds(10))
				.until(() -> DiskView.exists(this.dir, "STAT22") && DiskView.exists(this.dir, "BOTH22"));
			assertThat(DiskView.exists(this.dir, "CHAT22")).as("only activity: waits for the activity interval")
				.isFalse();

			writer.flush();
			assertThat(DiskView.exists(this.dir, "CHAT22")).isTrue();
		}
		finally {
			writer.close();
		}
	}

	@Test
	void activityAfterTheRoomWasWrittenForAnotherChangeIsStillStoredWithinTheActivityInterval() {
		AtomicReference<Room> current = new AtomicReference<>(TestRooms.room("CHAT22", NOW));
		GroupCommitWriter writer = new GroupCommitWriter(new RoomFiles(this.dir, JsonMapper.builder().build()),
				new RoomJournal(this.dir, 1), (code) -> current.get(), Duration.ofMillis(20), Duration.ofMillis(200),
				new SimpleMeterRegistry().timer("writes"), () -> {
				});
		try {
			writer.changed("CHAT22", Durability.ACTIVITY);
			writer.changed("CHAT22", Durability.DEFERRED);
			await().atMost(Duration.ofSeconds(10)).until(() -> DiskView.exists(this.dir, "CHAT22"));

			current.set(TestRooms.room("CHAT22", NOW.plusSeconds(60)));
			writer.changed("CHAT22", Durability.ACTIVITY);

			await().atMost(Duration.ofSeconds(10))
				.until(() -> DiskView.json(this.dir, "CHAT22").contains(NOW.plusSeconds(60).toString()));
		}
		finally {
			writer.close();
		}
	}

	@Test
	void activityOnlyChangesAreStoredWhenTheWriterCloses() {
		GroupCommitWriter writer = new GroupCommitWriter(new RoomFiles(this.dir, JsonMapper.builder().build()),
				new RoomJournal(this.dir, 1), (code) -> TestRooms.room(code, NOW), Duration.ofMillis(20),
				Duration.ofHours(1), new SimpleMeterRegistry().timer("writes"), () -> {
				});
		writer.changed("CHAT22", Durability.ACTIVITY);

		assertThat(writer.close()).isTrue();

		assertThat(DiskView.exists(this.dir, "CHAT22")).isTrue();
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
