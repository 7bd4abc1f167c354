package dev.roomkeeper.lifecycle;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.room.CreateRoomRequest;
import dev.roomkeeper.room.FailedLookupLimiter;
import dev.roomkeeper.room.RoomProperties;
import dev.roomkeeper.room.RoomService;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.store.memory.InMemoryRoomRepository;
import dev.roomkeeper.support.MutableClock;
import dev.roomkeeper.support.RecordedEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/** The sweeper's schedule and its checks of the settings. */
class RoomSweeperTests {

	private final MutableClock clock = MutableClock.atFixedStart();

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	private final RoomEventBus eventBus = new RoomEventBus(this.jsonMapper);

	private final RecordedEvents events = new RecordedEvents(this.eventBus);

	private final RoomProperties properties = new RoomProperties();

	private final InMemoryRoomRepository repository = new InMemoryRoomRepository(this.eventBus);

	private RoomSweeper sweeper;

	@BeforeEach
	void listen() {
		this.properties.setIdleTimeout(Duration.ofMinutes(10));
		this.properties.setWarningBefore(Duration.ofMinutes(2));
		this.properties.setSweepInterval(Duration.ofMillis(50));
	}

	@AfterEach
	void stop() {
		if (this.sweeper != null) {
			this.sweeper.stop();
		}
	}

	@Test
	void startWhenSweepEnabledThenSweepsEverySweepInterval() {
		RoomService rooms = startSweeper();
		assertThat(this.sweeper.isRunning()).isTrue();
		String code = createRoom(rooms);
		this.clock.advance(Duration.ofMinutes(10));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.events.typesOf(code).contains("closed"));
		assertThat(this.repository.find(code)).isEmpty();
	}

	@Test
	void startWhenSweepDisabledThenSweepsOnceAndSchedulesNothing() {
		this.properties.setSweepEnabled(false);
		RoomService rooms = createService();
		String expiredBeforeStart = createRoom(rooms);
		this.clock.advance(Duration.ofMinutes(10));
		String expiredAfterStart = createRoom(rooms);
		this.sweeper = new RoomSweeper(rooms, this.repository, this.properties, this.clock);
		this.sweeper.start();
		assertThat(this.events.typesOf(expiredBeforeStart)).containsExactly("closed");

		this.clock.advance(Duration.ofMinutes(10));
		await().during(Duration.ofMillis(400))
			.atMost(Duration.ofSeconds(2))
			.until(() -> this.repository.find(expiredAfterStart).isPresent());
		assertThat(this.sweeper.sweep().closed()).as("a direct sweep still works").isEqualTo(1);
	}

	@Test
	void warningBeforeNotShorterThanIdleTimeoutIsRefused() {
		this.properties.setWarningBefore(Duration.ofMinutes(10));
		assertThatIllegalStateException().isThrownBy(this::startSweeper)
			.withMessageContaining("rooms.warning-before")
			.withMessageContaining("rooms.idle-timeout");
	}

	@Test
	void zeroSweepIntervalIsRefused() {
		this.properties.setSweepInterval(Duration.ZERO);
		assertThatIllegalStateException().isThrownBy(this::startSweeper).withMessageContaining("rooms.sweep-interval");
	}

	@Test
	void zeroWarningBeforeMeansNoWarnings() {
		this.properties.setWarningBefore(Duration.ZERO);
		this.properties.setSweepEnabled(false);
		RoomService rooms = startSweeper();
		String code = createRoom(rooms);
		this.clock.advance(Duration.ofMinutes(10).minusSeconds(1));
		assertThat(this.sweeper.sweep().warned()).isZero();
		this.clock.advance(Duration.ofSeconds(1));
		this.sweeper.sweep();
		assertThat(this.events.typesOf(code)).containsExactly("closed");
	}

	@Test
	void sweepIsRecordedInTheSweepTimer() {
		this.properties.setSweepEnabled(false);
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		RoomService rooms = createService();
		createRoom(rooms);
		this.clock.advance(Duration.ofMinutes(10));
		this.sweeper = new RoomSweeper(rooms, this.repository, this.properties, this.clock, 500, registry);
		SweepResult result = this.sweeper.sweep();
		Timer timer = registry.get("roomkeeper.sweep").timer();
		assertThat(timer.count()).isEqualTo(1);
		assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(result.took().toNanos());
	}

	private RoomService startSweeper() {
		RoomService rooms = createService();
		this.sweeper = new RoomSweeper(rooms, this.repository, this.properties, this.clock);
		this.sweeper.start();
		return rooms;
	}

	private RoomService createService() {
		return new RoomService(this.repository, this.properties, new FailedLookupLimiter(this.properties, this.clock),
				this.jsonMapper, this.clock);
	}

	private static String createRoom(RoomService rooms) {
		return rooms.create(new CreateRoomRequest(null, null, null, null, false, null, null)).room().code();
	}

}
