package dev.roomkeeper.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.support.StaticListableBeanFactory;

import dev.roomkeeper.room.FailedLookupLimiter;
import dev.roomkeeper.room.LiveConnections;
import dev.roomkeeper.room.RoomProperties;
import dev.roomkeeper.room.RoomService;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.store.memory.InMemoryRoomRepository;

import static org.assertj.core.api.Assertions.assertThat;

class ActivityHistoryTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final SteppingClock clock = new SteppingClock(Instant.parse("2026-05-01T12:00:00Z"));

	private final InMemoryRoomRepository repository = new InMemoryRoomRepository(new RoomEventBus(JSON));

	private int connections;

	private final ActivityHistory history = history();

	@Test
	void samplesRecordOpenRoomsAndConnections() {
		this.repository.create(RoomCensusTests.room("AAA", this.clock.instant(), 2));
		this.connections = 5;
		ActivityHistory.Sample sample = this.history.sample();
		assertThat(sample.rooms()).isEqualTo(1);
		assertThat(sample.connections()).isEqualTo(5);
		assertThat(sample.at()).isEqualTo(this.clock.instant());
	}

	@Test
	void lastHourKeepsSamplesOfTheLastHourAndAddsOneForNow() {
		for (int minute = 0; minute < 90; minute++) {
			this.connections = minute;
			this.history.sample();
			this.clock.advance(ActivityHistory.INTERVAL);
		}
		this.connections = 1000;
		var points = this.history.lastHour();
		assertThat(points.get(points.size() - 1).connections()).isEqualTo(1000);
		assertThat(points.get(0).at()).isAfterOrEqualTo(this.clock.instant().minus(ActivityHistory.SPAN));
		// Minutes 30 to 89 are within the hour before minute 90; then the point for now.
		assertThat(points).hasSize(61);
		assertThat(points).isSortedAccordingTo((a, b) -> a.at().compareTo(b.at()));
	}

	@Test
	void withoutLiveFeatureConnectionsAreZero() {
		StaticListableBeanFactory none = new StaticListableBeanFactory();
		LiveConnectionCounts counts = new LiveConnectionCounts(none.getBeanProvider(LiveConnections.class));
		assertThat(counts.total()).isZero();
		assertThat(counts.inRoom("ABC234")).isZero();
	}

	private ActivityHistory history() {
		RoomProperties properties = new RoomProperties();
		RoomService rooms = new RoomService(this.repository, properties,
				new FailedLookupLimiter(properties, this.clock), JSON, this.clock);
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("liveConnections", new LiveConnections() {

			@Override
			public int total() {
				return ActivityHistoryTests.this.connections;
			}

			@Override
			public int inRoom(String code) {
				return 0;
			}

		});
		return new ActivityHistory(new RoomCensus(this.repository, rooms, this.clock),
				new LiveConnectionCounts(beans.getBeanProvider(LiveConnections.class)), this.clock);
	}

	/** A clock the test moves forward. */
	static final class SteppingClock extends Clock {

		private Instant now;

		SteppingClock(Instant start) {
			this.now = start;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
