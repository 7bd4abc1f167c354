package dev.roomkeeper.lifecycle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.room.RoomService;
import dev.roomkeeper.room.RoomView;
import dev.roomkeeper.room.event.ClosedEvent;
import dev.roomkeeper.room.event.MemberView;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.room.event.WarningEvent;
import dev.roomkeeper.store.file.JsonFileRoomRepository;
import dev.roomkeeper.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class JsonFileRoomLifecycleTests extends AbstractRoomLifecycleTests {

	@TempDir
	Path dir;

	@Override
	protected RoomRepository createRepository(RoomEventBus eventBus, JsonMapper jsonMapper, MutableClock clock) {
		return new JsonFileRoomRepository(this.dir, Duration.ofMillis(50), jsonMapper, eventBus, clock);
	}

	@Override
	protected void closeRepository(RoomRepository repository) {
		((JsonFileRoomRepository) repository).close();
	}

	/** Stops the "server" (the store stores what it holds), then starts it again. */
	private void restart() {
		closeRepository(this.repository);
		openServer();
	}

	@Test
	void restartWhenRoomExpiredWhileDownThenNeverServedAndClosedAtStartUpWhileOthersKeepTheirExpiry() {
		Instant start = this.clock.instant();
		String expired = createRoom().room().code();
		setConnected(expired, join(expired, "Ann").member().id(), true);
		this.clock.advance(Duration.ofMinutes(8));
		String survivor = createRoom().room().code();
		RoomService.JoinedRoom bob = join(survivor, "Bob");
		setConnected(survivor, bob.member().id(), true);
		Instant survivorExpiry = view(survivor).expiresAt();
		assertThat(survivorExpiry).isEqualTo(start.plus(Duration.ofMinutes(8)).plus(IDLE_TIMEOUT));

		closeRepository(this.repository);
		this.clock.set(start.plus(IDLE_TIMEOUT).plus(Duration.ofMinutes(1)));
		openServer();

		assertThat(this.rooms.findOpen(expired)).as("never served, even before the start-up sweep").isEmpty();
		assertRoomNotFound(() -> this.rooms.lookUp(expired, "192.0.2.1"));
		this.sweeper.start();
		try {
			assertThat(this.repository.find(expired)).isEmpty();
			assertThat(this.dir.resolve(expired + ".json")).doesNotExist();
			assertThat(closedRooms()).containsExactly(expired);
			assertThat(this.events.ofType(ClosedEvent.class).get(0).reason()).isEqualTo("inactivity");

			RoomView kept = view(survivor);
			assertThat(kept.expiresAt()).isEqualTo(survivorExpiry);
			assertThat(kept.members()).extracting(MemberView::id, MemberView::connected)
				.containsExactly(tuple(bob.member().id(), false));

			this.clock.set(survivorExpiry.minus(WARNING_BEFORE));
			this.sweeper.sweep();
			assertThat(this.events.ofType(WarningEvent.class)).extracting(WarningEvent::room, WarningEvent::closesAt)
				.containsExactly(tuple(survivor, survivorExpiry));
			this.clock.set(survivorExpiry);
			this.sweeper.sweep();
			assertThat(closedRooms()).containsExactly(expired, survivor);
			assertThat(this.repository.count()).isZero();
		}
		finally {
			this.sweeper.stop();
		}
	}

	@Test
	void restartAfterWarningThenNoSecondWarningInTheSameIdlePeriod() throws Exception {
		String code = createRoom().room().code();
		this.clock.advance(IDLE_TIMEOUT.minus(WARNING_BEFORE));
		this.sweeper.sweep();
		assertThat(this.events.typesOf(code)).containsExactly("warning");
		assertThat(Files.readString(this.dir.resolve(code + ".json"))).contains("\"warnedAt\":\"");

		restart();
		this.clock.advance(Duration.ofMinutes(1));
		this.sweeper.sweep();
		assertThat(this.events.typesOf(code)).containsExactly("warning");
		this.clock.advance(Duration.ofMinutes(1));
		this.sweeper.sweep();
		assertThat(this.events.typesOf(code)).containsExactly("warning", "closed");
		assertThat(this.events.of(code).get(1).seq()).isEqualTo(2);
	}

	@Test
	void restartWhenMembersWereConnectedThenTheyHaveStaleAfterFromStartUpToComeBack() {
		String code = createRoom().room().code();
		RoomService.JoinedRoom ann = join(code, "Ann");
		setConnected(code, ann.member().id(), true);
		this.clock.advance(Duration.ofMinutes(4));
		this.rooms.keepAlive(code, ann.token(), Durability.DEFERRED);
		closeRepository(this.repository);
		this.clock.advance(Duration.ofMinutes(1));
		openServer();

		this.clock.advance(STALE_AFTER.minus(SECOND));
		assertThat(this.sweeper.sweep().staleMembersRemoved()).isZero();
		this.clock.advance(SECOND);
		assertThat(this.sweeper.sweep().staleMembersRemoved()).isEqualTo(1);
		assertThat(this.events.typesOf(code)).containsExactly("member-joined", "member-connected", "member-removed");
	}

}
