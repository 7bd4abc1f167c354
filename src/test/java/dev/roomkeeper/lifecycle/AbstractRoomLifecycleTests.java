package dev.roomkeeper.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.roomkeeper.ops.RoomCensus;
import dev.roomkeeper.room.CreateRoomRequest;
import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.FailedLookupLimiter;
import dev.roomkeeper.room.JoinRoomRequest;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomActivity;
import dev.roomkeeper.room.RoomProperties;
import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.room.RoomService;
import dev.roomkeeper.room.RoomView;
import dev.roomkeeper.room.StatePatchRequest;
import dev.roomkeeper.room.UpdateRoomRequest;
import dev.roomkeeper.room.event.ClosedEvent;
import dev.roomkeeper.room.event.MemberRemovedEvent;
import dev.roomkeeper.room.event.PublishedEvent;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.room.event.WarningEvent;
import dev.roomkeeper.support.MutableClock;
import dev.roomkeeper.support.RecordedEvents;
import dev.roomkeeper.system.ProblemCode;
import dev.roomkeeper.system.RoomkeeperException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The room lifecycle (idle warning and close, expire on read, stale presence,
 * delete-when-empty, eviction) on a store, with a clock the test moves: every store
 * extends this class and says how to open its repository.
 * <p>
 * Settings: idle timeout 10 min, warning 2 min before, members stale after 5 min.
 */
public abstract class AbstractRoomLifecycleTests {

	protected static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);

	protected static final Duration WARNING_BEFORE = Duration.ofMinutes(2);

	protected static final Duration STALE_AFTER = Duration.ofMinutes(5);

	protected static final Duration SECOND = Duration.ofSeconds(1);

	protected final MutableClock clock = MutableClock.atFixedStart();

	protected final JsonMapper jsonMapper = JsonMapper.builder().build();

	protected final RoomEventBus eventBus = new RoomEventBus(this.jsonMapper);

	protected final RecordedEvents events = new RecordedEvents(this.eventBus);

	protected final RoomProperties properties = new RoomProperties();

	protected RoomRepository repository;

	protected RoomService rooms;

	protected RoomSweeper sweeper;

	/** Opens the store under test, empty or with what an earlier repository stored. */
	protected abstract RoomRepository createRepository(RoomEventBus eventBus, JsonMapper jsonMapper,
			MutableClock clock);

	/** Closes a repository the test opened (storing what it holds). */
	protected void closeRepository(RoomRepository repository) {
	}

	@BeforeEach
	void startServer() {
		this.properties.setIdleTimeout(IDLE_TIMEOUT);
		this.properties.setWarningBefore(WARNING_BEFORE);
		this.properties.getPresence().setStaleAfter(STALE_AFTER);
		this.properties.setSweepEnabled(false);
		this.properties.getLimits().setFailedJoinsPerMinute(10_000);
		openServer();
	}

	@AfterEach
	void stopServer() {
		closeRepository(this.repository);
	}

	/**
	 * Opens the store and wires the service and the sweeper around it, as the app does.
	 */
	protected void openServer() {
		this.repository = createRepository(this.eventBus, this.jsonMapper, this.clock);
		this.rooms = new RoomService(this.repository, this.properties,
				new FailedLookupLimiter(this.properties, this.clock), this.jsonMapper, this.clock);
		this.sweeper = new RoomSweeper(this.rooms, this.repository, this.properties, this.clock, 3, null);
	}

	@Test
	void sweepWhenIdleThenOneWarningThenClosed() {
		Instant created = this.clock.instant();
		String code = createRoom().room().code();
		this.clock.advance(IDLE_TIMEOUT.minus(WARNING_BEFORE).minus(SECOND));
		assertThat(this.sweeper.sweep()).extracting(SweepResult::warned, SweepResult::closed).containsExactly(0, 0);
		assertThat(this.events.of(code)).isEmpty();

		Instant warnedAt = this.clock.advance(SECOND);
		assertThat(this.sweeper.sweep().warned()).isEqualTo(1);
		assertThat(this.events.typesOf(code)).containsExactly("warning");
		WarningEvent warning = this.events.ofType(WarningEvent.class).get(0);
		assertThat(warning.closesAt()).isEqualTo(created.plus(IDLE_TIMEOUT));
		assertThat(warning.secondsRemaining()).isEqualTo(WARNING_BEFORE.toSeconds());
		assertThat(warning.at()).isEqualTo(warnedAt);
		assertThat(warning.seq()).isEqualTo(1);

		this.clock.advance(WARNING_BEFORE.minus(SECOND));
		assertThat(this.sweeper.sweep()).extracting(SweepResult::warned, SweepResult::closed).containsExactly(0, 0);
		assertThat(this.rooms.findOpen(code)).isPresent();

		this.clock.advance(SECOND);
		assertThat(this.sweeper.sweep().closed()).isEqualTo(1);
		assertThat(this.events.typesOf(code)).containsExactly("warning", "closed");
		ClosedEvent closed = this.events.ofType(ClosedEvent.class).get(0);
		assertThat(closed.reason()).isEqualTo("inactivity");
		assertThat(closed.seq()).isEqualTo(2);
		assertThat(this.repository.find(code)).isEmpty();
		assertThat(this.repository.count()).isZero();
	}

	@Test
	void warningCarriesSecondsRemainingRoundedUp() {
		String code = createRoom().room().code();
		this.clock.advance(IDLE_TIMEOUT.minus(WARNING_BEFORE).plusMillis(1500));
		this.sweeper.sweep();
		WarningEvent warning = this.events.ofType(WarningEvent.class).get(0);
		assertThat(warning.room()).isEqualTo(code);
		assertThat(warning.secondsRemaining()).isEqualTo(WARNING_BEFORE.toSeconds() - 1);
		assertThat(this.events.of(code).get(0).json()).contains("\"type\":\"warning\"")
			.contains("\"closesAt\":\"2030-01-01T00:10:00Z\"")
			.contains("\"secondsRemaining\":119");
	}

	@Test
	void activityAfterWarningResetsCountdownAndNextIdlePeriodWarnsAgain() {
		RoomService.CreatedRoom created = createRoom();
		String code = created.room().code();
		this.clock.advance(IDLE_TIMEOUT.minus(WARNING_BEFORE));
		this.sweeper.sweep();
		assertThat(this.events.typesOf(code)).containsExactly("warning");

		Instant active = this.clock.advance(Duration.ofMinutes(1));
		this.rooms.keepAlive(code, created.ownerToken(), Durability.DURABLE);
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(this.sweeper.sweep()).extracting(SweepResult::warned, SweepResult::closed).containsExactly(0, 0);
		assertThat(this.rooms.findOpen(code)).isPresent();
		assertThat(this.events.typesOf(code)).containsExactly("warning");

		this.clock.set(active.plus(IDLE_TIMEOUT).minus(WARNING_BEFORE));
		assertThat(this.sweeper.sweep().warned()).isEqualTo(1);
		assertThat(this.events.typesOf(code)).containsExactly("warning", "warning");
		assertThat(this.events.ofType(WarningEvent.class).get(1).closesAt()).isEqualTo(active.plus(IDLE_TIMEOUT));

		this.clock.set(active.plus(IDLE_TIMEOUT));
		this.sweeper.sweep();
		assertThat(this.events.typesOf(code)).containsExactly("warning", "warning", "closed");
		assertThat(this.events.of(code)).extracting(PublishedEvent::seq).containsExactly(1L, 2L, 3L);
	}

	@Test
	void sweepWhenRoomAlreadyPastIdleTimeoutThenClosedWithoutWarning() {
		String code = createRoom().room().code();
		this.clock.advance(IDLE_TIMEOUT.plus(Duration.ofHours(1)));
		assertThat(this.sweeper.sweep()).extracting(SweepResult::warned, SweepResult::closed).containsExactly(0, 1);
		assertThat(this.events.typesOf(code)).containsExactly("closed");
	}

	@Test
	void sweepWhenNothingIsDueThenNothingHappens() {
		String first = createRoom().room().code();
		this.clock.advance(Duration.ofMinutes(5));
		createRoom();
		assertThat(this.sweeper.sweep())
			.extracting(SweepResult::warned, SweepResult::closed, SweepResult::staleMembersRemoved)
			.containsExactly(0, 0, 0);
		assertThat(this.events.all()).isEmpty();
		assertThat(this.rooms.findOpen(first)).isPresent();
	}

	@Test
	void sweepWhenMoreRoomsAreDueThanOneBatchThenAllAreHandled() {
		List<String> codes = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			codes.add(createRoom().room().code());
		}
		this.clock.advance(IDLE_TIMEOUT.minus(WARNING_BEFORE));
		assertThat(this.sweeper.sweep().warned()).isEqualTo(7);
		this.clock.advance(WARNING_BEFORE);
		assertThat(this.sweeper.sweep().closed()).isEqualTo(7);
		assertThat(this.repository.count()).isZero();
		assertThat(this.events.ofType(ClosedEvent.class)).extracting(ClosedEvent::room)
			.containsExactlyInAnyOrderElementsOf(codes);
	}

	@Test
	void roomPastIdleTimeoutIsNotFoundBeforeAnySweep() {
		RoomService.CreatedRoom created = createRoom();
		String code = created.room().code();
		RoomService.JoinedRoom member = join(code, "Ann");
		this.clock.advance(IDLE_TIMEOUT.minus(SECOND));
		assertThat(this.rooms.findOpen(code)).isPresent();

		this.clock.advance(SECOND);
		assertThat(this.rooms.findOpen(code)).isEmpty();
		assertRoomNotFound(() -> this.rooms.lookUp(code, "192.0.2.1"));
		assertRoomNotFound(() -> this.rooms.lookUpWithToken(code, member.token()));
		assertRoomNotFound(() -> this.rooms.keepAlive(code, member.token(), Durability.DURABLE));
		assertRoomNotFound(() -> this.rooms.join(code, new JoinRoomRequest("Bob", null, null, null), "192.0.2.1"));
		assertRoomNotFound(() -> this.rooms.closeByOwner(code, created.ownerToken()));
		assertThat(this.repository.find(code)).as("still stored until the sweep").isPresent();

		this.sweeper.sweep();
		assertThat(this.events.typesOf(code)).containsExactly("member-joined", "closed");
		assertThat(this.events.ofType(ClosedEvent.class).get(0).reason()).isEqualTo("inactivity");
		assertThat(this.repository.find(code)).isEmpty();
	}

	@Test
	void sweepRemovesMembersDisconnectedLongerThanStaleAfter() {
		RoomService.CreatedRoom created = createRoom();
		String code = created.room().code();
		RoomService.JoinedRoom ann = join(code, "Ann");
		RoomService.JoinedRoom bob = join(code, "Bob");
		setConnected(code, ann.member().id(), true);
		setConnected(code, bob.member().id(), true);
		this.clock.advance(Duration.ofMinutes(1));
		setConnected(code, bob.member().id(), false);
		this.events.clear();

		this.clock.advance(STALE_AFTER.minus(SECOND));
		assertThat(this.sweeper.sweep().staleMembersRemoved()).isZero();
		this.clock.advance(SECOND);
		assertThat(this.sweeper.sweep().staleMembersRemoved()).isEqualTo(1);

		assertThat(this.events.typesOf(code)).containsExactly("member-removed");
		MemberRemovedEvent removed = this.events.ofType(MemberRemovedEvent.class).get(0);
		assertThat(removed.memberId()).isEqualTo(bob.member().id());
		assertThat(removed.reason()).isEqualTo("stale");
		Room room = this.rooms.findOpen(code).orElseThrow();
		assertThat(room.members()).extracting((member) -> member.name()).containsExactly("Ann");
		assertThat(room.lastActivityAt()).as("a removal is not activity").isEqualTo(created.room().lastActivityAt());
		assertThat(removed.seq()).isEqualTo(room.seq());
		assertUnauthorized(() -> this.rooms.keepAlive(code, bob.token(), Durability.DURABLE));
	}

	@Test
	void memberWhoReconnectsBeforeStaleAfterIsKept() {
		String code = createRoom().room().code();
		RoomService.JoinedRoom ann = join(code, "Ann");
		setConnected(code, ann.member().id(), true);
		setConnected(code, ann.member().id(), false);
		this.clock.advance(STALE_AFTER.minus(SECOND));
		setConnected(code, ann.member().id(), true);
		this.clock.advance(STALE_AFTER);
		assertThat(this.sweeper.sweep().staleMembersRemoved()).isZero();
		assertThat(this.rooms.findOpen(code).orElseThrow().member(ann.member().id())).isPresent();
	}

	@Test
	void memberActiveOnlyOverRestIsNeverStaleWhileAnIdleMemberIs() {
		RoomService.CreatedRoom created = createRoom();
		String code = created.room().code();
		RoomService.JoinedRoom ann = this.rooms.join(code, new JoinRoomRequest("Ann", null, null, created.ownerToken()),
				"192.0.2.1");
		RoomService.JoinedRoom bob = join(code, "Bob");
		ObjectNode patch = this.jsonMapper.createObjectNode().put("score", 1);
		// Ann never connects: every call she makes with her token is one a REST client
		// makes
		List<Runnable> restCalls = List.of(() -> this.rooms.keepAlive(code, ann.token(), Durability.DURABLE),
				() -> this.rooms.patchState(code, ann.token(), new StatePatchRequest(patch, null), Durability.DURABLE),
				() -> this.rooms.lookUpWithToken(code, ann.token()),
				() -> this.rooms.updateSettings(code, ann.token(),
						new UpdateRoomRequest("Renamed", null, false, null, null, null, null)),
				() -> this.rooms.removeMember(code, join(code, "Cid").member().id(), ann.token()));
		Instant lastCall = null;
		for (Runnable call : restCalls) {
			this.clock.advance(STALE_AFTER.minus(SECOND));
			this.sweeper.sweep();
			assertThat(this.rooms.findOpen(code).orElseThrow().member(ann.member().id())).isPresent();
			call.run();
			lastCall = this.clock.instant();
		}
		assertThat(this.rooms.findOpen(code).orElseThrow().member(ann.member().id()).orElseThrow().lastSeenAt())
			.isEqualTo(lastCall);
		assertThat(staleRemovals()).as("Bob made no call").containsExactly(bob.member().id());

		this.clock.advance(STALE_AFTER);
		assertThat(this.sweeper.sweep().staleMembersRemoved()).isEqualTo(1);
		assertThat(staleRemovals()).containsExactly(bob.member().id(), ann.member().id());
		assertThat(this.rooms.findOpen(code).orElseThrow().members()).isEmpty();
	}

	private List<String> staleRemovals() {
		return this.events.ofType(MemberRemovedEvent.class)
			.stream()
			.filter((removed) -> removed.reason().equals("stale"))
			.map(MemberRemovedEvent::memberId)
			.toList();
	}

	@Test
	void memberWhoNeverConnectedIsStaleAfterStaleAfterFromJoining() {
		String code = createRoom().room().code();
		join(code, "Ann");
		this.clock.advance(STALE_AFTER);
		assertThat(this.sweeper.sweep().staleMembersRemoved()).isEqualTo(1);
		assertThat(this.rooms.findOpen(code).orElseThrow().members()).isEmpty();
	}

	@Test
	void staleRemovalOfLastMemberWhenDeleteWhenEmptyThenRoomClosed() {
		this.properties.setDeleteWhenEmpty(true);
		String code = createRoom().room().code();
		join(code, "Ann");
		this.clock.advance(STALE_AFTER);
		this.sweeper.sweep();
		assertThat(this.events.typesOf(code)).containsExactly("member-joined", "member-removed", "closed");
		assertThat(this.events.ofType(ClosedEvent.class).get(0).reason()).isEqualTo("empty");
		assertThat(this.repository.find(code)).isEmpty();
	}

	@Test
	void lastMemberLeavesWhenDeleteWhenEmptyThenRoomClosed() {
		this.properties.setDeleteWhenEmpty(true);
		String code = createRoom().room().code();
		RoomService.JoinedRoom ann = join(code, "Ann");
		RoomService.JoinedRoom bob = join(code, "Bob");
		this.rooms.removeMember(code, ann.member().id(), ann.token());
		assertThat(this.rooms.findOpen(code)).isPresent();
		this.rooms.removeMember(code, bob.member().id(), bob.token());

		assertThat(this.events.typesOf(code)).containsExactly("member-joined", "member-joined", "member-removed",
				"member-removed", "closed");
		assertThat(this.events.ofType(ClosedEvent.class).get(0).reason()).isEqualTo("empty");
		assertThat(this.events.of(code)).extracting(PublishedEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
		assertThat(this.repository.find(code)).isEmpty();
		assertRoomNotFound(() -> this.rooms.lookUp(code, "192.0.2.1"));
	}

	@Test
	void lastMemberLeavesWhenNotDeleteWhenEmptyThenRoomStays() {
		String code = createRoom().room().code();
		RoomService.JoinedRoom ann = join(code, "Ann");
		this.rooms.removeMember(code, ann.member().id(), ann.token());
		assertThat(this.events.typesOf(code)).containsExactly("member-joined", "member-removed");
		assertThat(this.rooms.findOpen(code).orElseThrow().members()).isEmpty();
	}

	@Test
	void createAtMaxRoomsEvictsLeastRecentlyActiveRoomWithoutConnectedMember() {
		this.properties.setMaxRooms(3);
		RoomService.CreatedRoom a = createRoomAfter(Duration.ZERO);
		String b = createRoomAfter(SECOND).room().code();
		String c = createRoomAfter(SECOND).room().code();
		this.clock.advance(SECOND);
		this.rooms.keepAlive(a.room().code(), a.ownerToken(), Durability.DURABLE);
		RoomService.JoinedRoom inB = join(b, "Ann");
		setConnected(b, inB.member().id(), true);
		this.clock.advance(SECOND);
		this.rooms.keepAlive(b, inB.token(), Durability.DURABLE);
		// last activity: c (t2) < a (t3) < b (t4, with a connected member)
		this.events.clear();

		String d = createRoomAfter(SECOND).room().code();
		assertThat(closedRooms()).containsExactly(c);
		assertThat(this.events.ofType(ClosedEvent.class)).extracting(ClosedEvent::reason).containsExactly("evicted");

		createRoomAfter(SECOND);
		assertThat(closedRooms()).containsExactly(c, a.room().code());

		createRoomAfter(SECOND);
		assertThat(closedRooms()).containsExactly(c, a.room().code(), d);
		assertThat(this.repository.count()).isEqualTo(3);
		assertThat(this.rooms.findOpen(b)).isPresent();
		assertRoomNotFound(() -> this.rooms.lookUp(c, "192.0.2.1"));
	}

	@Test
	void createAtMaxRoomsWhenEveryRoomHasConnectedMemberThenCapacity() {
		this.properties.setMaxRooms(2);
		for (int i = 0; i < 2; i++) {
			String code = createRoom().room().code();
			setConnected(code, join(code, "Ann").member().id(), true);
		}
		this.events.clear();
		assertThatExceptionOfType(RoomkeeperException.class).isThrownBy(this::createRoom).satisfies((ex) -> {
			assertThat(ex.problem()).isEqualTo(ProblemCode.CAPACITY);
			assertThat(ex.retryAfter()).isPositive();
		});
		assertThat(this.repository.count()).isEqualTo(2);
		assertThat(this.events.all()).isEmpty();
	}

	@Test
	void createAtMaxRoomsClosesRoomPastIdleTimeoutForInactivityFirst() {
		this.properties.setMaxRooms(2);
		String expired = createRoom().room().code();
		setConnected(expired, join(expired, "Ann").member().id(), true);
		String idle = createRoomAfter(SECOND).room().code();
		this.clock.advance(IDLE_TIMEOUT.minus(SECOND));
		createRoom();
		assertThat(this.events.ofType(ClosedEvent.class)).extracting(ClosedEvent::room, ClosedEvent::reason)
			.containsExactly(tuple(expired, "inactivity"));
		createRoom();
		assertThat(this.events.ofType(ClosedEvent.class)).extracting(ClosedEvent::room, ClosedEvent::reason)
			.containsExactly(tuple(expired, "inactivity"), tuple(idle, "evicted"));
	}

	@Test
	void censusCountsStayExactThroughJoinLeaveCloseAndExpiry() {
		RoomCensus census = new RoomCensus((RoomActivity) this.repository, this.rooms, this.clock);
		String quiz = createRoom().room().code();
		RoomService.JoinedRoom ann = join(quiz, "Ann");
		join(quiz, "Bob");
		this.rooms.removeMember(quiz, ann.member().id(), ann.token());
		assertCensus(census, 1, 1);

		this.clock.advance(Duration.ofMinutes(3));
		String chat = createRoom().room().code();
		setConnected(chat, join(chat, "Cy").member().id(), true);
		String closing = createRoom().room().code();
		join(closing, "Dee");
		join(closing, "Eve");
		assertCensus(census, 3, 4);
		this.rooms.close(closing, "admin");
		assertCensus(census, 2, 2);

		// The quiz is past its idle timeout: gone for the census before the sweeper runs.
		this.clock.advance(IDLE_TIMEOUT.minus(Duration.ofMinutes(3)));
		assertCensus(census, 1, 1);
		assertThat(census.take(0, 10).list()).extracting(RoomCensus.ActiveRoom::code).containsExactly(chat);
		assertThat(this.sweeper.sweep().closed()).isEqualTo(1);
		assertCensus(census, 1, 1);
		assertThat(((RoomActivity) this.repository).totals()).isEqualTo(new RoomActivity.Totals(1, 1));

		this.clock.advance(Duration.ofMinutes(3));
		assertCensus(census, 0, 0);
	}

	private void assertCensus(RoomCensus census, int rooms, int members) {
		RoomCensus.Census taken = census.take(0, 10);
		assertThat(taken.rooms()).as("rooms").isEqualTo(rooms);
		assertThat(taken.members()).as("members").isEqualTo(members);
		// What a walk of every open room counts.
		List<Room> open = this.repository.findAll()
			.stream()
			.filter((room) -> !this.rooms.isExpired(room, this.clock.instant()))
			.toList();
		assertThat(open).hasSize(rooms);
		assertThat(open.stream().mapToInt((room) -> room.members().size()).sum()).isEqualTo(members);
		assertThat(taken.list()).hasSize(rooms);
	}

	// Helpers

	protected RoomService.CreatedRoom createRoom() {
		return this.rooms.create(new CreateRoomRequest(null, null, null, null, false, null, null));
	}

	protected RoomService.CreatedRoom createRoomAfter(Duration wait) {
		this.clock.advance(wait);
		return createRoom();
	}

	protected RoomService.JoinedRoom join(String code, String name) {
		return this.rooms.join(code, new JoinRoomRequest(name, null, null, null), "192.0.2.1");
	}

	/**
	 * What the live API does when a member's first connection opens or its last one
	 * closes ({@code member-connected}, {@code member-disconnected}; not activity).
	 */
	protected void setConnected(String code, String memberId, boolean connected) {
		if (connected) {
			this.rooms.memberConnected(code, memberId);
		}
		else {
			this.rooms.memberDisconnected(code, memberId);
		}
	}

	protected List<String> closedRooms() {
		return this.events.ofType(ClosedEvent.class).stream().map(ClosedEvent::room).toList();
	}

	protected RoomView view(String code) {
		return RoomView.of(this.repository.find(code).orElseThrow(), IDLE_TIMEOUT);
	}

	protected static void assertRoomNotFound(Runnable call) {
		assertThatExceptionOfType(RoomkeeperException.class).isThrownBy(call::run)
			.satisfies((ex) -> assertThat(ex.problem()).isEqualTo(ProblemCode.ROOM_NOT_FOUND));
	}

	private static void assertUnauthorized(Runnable call) {
		assertThatExceptionOfType(RoomkeeperException.class).isThrownBy(call::run)
			.satisfies((ex) -> assertThat(ex.problem()).isEqualTo(ProblemCode.UNAUTHORIZED));
	}

}
