package dev.roomkeeper.store;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.room.ChangeResult;
import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.Member;
import dev.roomkeeper.room.HistoryEvent;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomActivity;
import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.room.event.MessageEvent;
import dev.roomkeeper.room.event.PublishedEvent;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.support.TestRooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link RoomRepository} contract, run against every store: each store's test class
 * extends this one and says how to make (and reopen) its repository.
 */
public abstract class AbstractRoomRepositoryContractTests {

	protected static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z").truncatedTo(ChronoUnit.MILLIS);

	protected final JsonMapper jsonMapper = JsonMapper.builder().build();

	protected final RoomEventBus eventBus = new RoomEventBus(this.jsonMapper);

	protected final List<PublishedEvent> events = Collections.synchronizedList(new ArrayList<>());

	protected RoomRepository repository;

	/** A new, empty repository publishing to {@link #eventBus}. */
	protected abstract RoomRepository createRepository() throws Exception;

	/** Closes the repository, if it holds resources. */
	protected void closeRepository(RoomRepository repository) throws Exception {
	}

	@BeforeEach
	void setUpRepository() throws Exception {
		this.eventBus.addListener(this.events::add);
		this.repository = createRepository();
	}

	@AfterEach
	void closeRepository() throws Exception {
		closeRepository(this.repository);
	}

	@Test
	void createWhenCodeIsFreeThenRoomIsFound() {
		assertThat(this.repository.create(TestRooms.room("ABC234", NOW))).isTrue();

		Optional<Room> found = this.repository.find("ABC234");

		assertThat(found).isPresent();
		assertThat(found.get().name()).isEqualTo("Room ABC234");
		assertThat(found.get().createdAt()).isEqualTo(NOW);
		assertThat(this.repository.count()).isEqualTo(1);
	}

	@Test
	void createWhenCodeIsTakenThenFalseAndRoomUnchanged() {
		this.repository.create(TestRooms.room("ABC234", NOW));
		Room other = TestRooms.room("ABC234", NOW).edit().name("Other").build();

		assertThat(this.repository.create(other)).isFalse();
		assertThat(this.repository.find("ABC234")).get().extracting(Room::name).isEqualTo("Room ABC234");
	}

	@Test
	void findWhenRoomIsMissingThenEmpty() {
		assertThat(this.repository.find("NOPE22")).isEmpty();
	}

	@Test
	void updateWhenRoomIsMissingThenEmptyAndChangeNotCalled() {
		Optional<String> result = this.repository.update("NOPE22", (room) -> {
			throw new AssertionError("must not be called");
		}, Durability.DURABLE);

		assertThat(result).isEmpty();
	}

	@Test
	void updateWhenSavedThenNewRoomIsFoundAndResultReturned() {
		this.repository.create(TestRooms.room("ABC234", NOW));

		Optional<Long> version = this.repository.update("ABC234", (room) -> {
			Room changed = room.edit().state(TestRooms.counter(7)).version(room.version() + 1).build();
			return ChangeResult.save(changed, changed.version());
		}, Durability.DURABLE);

		assertThat(version).contains(1L);
		Room stored = this.repository.find("ABC234").orElseThrow();
		assertThat(stored.version()).isEqualTo(1);
		assertThat(stored.state().get("counter").asLong()).isEqualTo(7);
	}

	@Test
	void updateWhenChangeThrowsThenRoomUnchangedAndExceptionRethrown() {
		this.repository.create(TestRooms.room("ABC234", NOW));

		assertThatThrownBy(() -> this.repository.update("ABC234", (room) -> {
			throw new IllegalStateException("refused");
		}, Durability.DURABLE)).isInstanceOf(IllegalStateException.class).hasMessage("refused");
		assertThat(this.repository.find("ABC234")).get().extracting(Room::version).isEqualTo(0L);
	}

	@Test
	void updateWhenDeletedThenRoomIsGoneAndCodeIsFree() {
		this.repository.create(TestRooms.room("ABC234", NOW));

		this.repository.update("ABC234", (room) -> ChangeResult.delete(true), Durability.DURABLE);

		assertThat(this.repository.find("ABC234")).isEmpty();
		assertThat(this.repository.count()).isZero();
		assertThat(this.repository.create(TestRooms.room("ABC234", NOW))).isTrue();
	}

	@Test
	void updateWhenEventsReturnedThenPublishedOnceInOrder() {
		this.repository.create(TestRooms.room("ABC234", NOW));

		for (int i = 0; i < 3; i++) {
			this.repository.update("ABC234", (room) -> {
				Room next = room.nextSeq();
				return ChangeResult.save(next, null, new MessageEvent("ABC234", NOW, next.seq(), "m1",
						this.jsonMapper.getNodeFactory().numberNode(next.seq())));
			}, Durability.DEFERRED);
		}

		assertThat(this.events).extracting(PublishedEvent::seq).containsExactly(1L, 2L, 3L);
		assertThat(this.events).extracting(PublishedEvent::type).containsOnly("message");
		assertThat(this.events.get(0).json()).contains("\"type\":\"message\"").contains("\"seq\":1");
	}

	@Test
	void updateWhenEventsReturnedThenTheHistoryHoldsTheLastHundredAsPublished() {
		Room created = TestRooms.room("ABC234", NOW);
		this.repository.create(created);

		for (int i = 0; i < 105; i++) {
			this.repository.update("ABC234", (room) -> {
				Room next = room.nextSeq();
				return ChangeResult.save(next, null, new MessageEvent("ABC234", NOW, next.seq(), "m1",
						this.jsonMapper.getNodeFactory().numberNode(next.seq())));
			}, Durability.DEFERRED);
		}
		this.repository.update("ABC234", (room) -> ChangeResult.save(room.touched(NOW.plusSeconds(1)), null),
				Durability.DURABLE);

		Room room = this.repository.findWithHistory("ABC234").orElseThrow();
		assertThat(room.epoch()).isEqualTo(created.epoch());
		assertThat(room.history().events()).extracting(HistoryEvent::seq)
			.containsExactlyElementsOf(LongStream.rangeClosed(6, 105).boxed().toList());
		for (HistoryEvent event : room.history().events()) {
			PublishedEvent published = this.events.get((int) event.seq() - 1);
			assertThat(this.jsonMapper.readTree(event.json())).isEqualTo(this.jsonMapper.readTree(published.json()));
		}
		assertThat(room.history().after(50L, room.seq(), 1000).complete()).isTrue();
		assertThat(room.history().after(4L, room.seq(), 1000).complete()).isFalse();
	}

	@Test
	void deleteThenTheHistoryGoesWithTheRoom() {
		this.repository.create(TestRooms.room("ABC234", NOW));
		this.repository.update("ABC234", (room) -> {
			Room next = room.nextSeq();
			return ChangeResult.save(next, null, new MessageEvent("ABC234", NOW, next.seq(), "m1", null));
		}, Durability.DURABLE);
		this.repository.update("ABC234", (room) -> ChangeResult.delete(null), Durability.DURABLE);
		Room again = TestRooms.room("ABC234", NOW);
		this.repository.create(again);

		Room found = this.repository.findWithHistory("ABC234").orElseThrow();
		assertThat(found.history().events()).isEmpty();
		assertThat(found.epoch()).isEqualTo(again.epoch());
		assertThat(this.repository.findWithHistory("NOPE22")).isEmpty();
	}

	@Test
	void findAllWhenSeveralRoomsThenEveryRoom() {
		this.repository.create(TestRooms.room("AAA222", NOW));
		this.repository.create(TestRooms.room("BBB333", NOW));

		assertThat(this.repository.findAll()).extracting(Room::code).containsExactlyInAnyOrder("AAA222", "BBB333");
	}

	@Test
	void flushWhenDeferredChangesThenTheyAreKept() {
		this.repository.create(TestRooms.room("ABC234", NOW));
		this.repository.update("ABC234", (room) -> ChangeResult.save(room.edit().name("Renamed").build(), true),
				Durability.DEFERRED);

		this.repository.flush();

		assertThat(this.repository.find("ABC234")).get().extracting(Room::name).isEqualTo("Renamed");
	}

	@Test
	void updateWhenOneRoomIsHeldThenOtherRoomsDoNotWait() throws Exception {
		this.repository.create(TestRooms.room("AAA222", NOW));
		this.repository.create(TestRooms.room("BBB333", NOW));
		CountDownLatch holding = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<?> slow = executor.submit(() -> this.repository.update("AAA222", (room) -> {
				holding.countDown();
				await(release);
				return ChangeResult.save(room.edit().name("Slow").build(), true);
			}, Durability.DURABLE));
			assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

			this.repository.update("BBB333", (room) -> ChangeResult.save(room.edit().name("Fast").build(), true),
					Durability.DURABLE);

			assertThat(this.repository.find("BBB333")).get().extracting(Room::name).isEqualTo("Fast");
			release.countDown();
			slow.get(10, TimeUnit.SECONDS);
			assertThat(this.repository.find("AAA222")).get().extracting(Room::name).isEqualTo("Slow");
		}
		finally {
			release.countDown();
			executor.shutdownNow();
		}
	}

	@Test
	void updateWhen32ThreadsIncrement1000TimesThenNoUpdateIsLost() throws Exception {
		this.repository.create(TestRooms.room("ABC234", NOW).edit().state(TestRooms.counter(0)).build());
		int threads = 32;
		int increments = 1000;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				futures.add(executor.submit(() -> {
					for (int i = 0; i < increments; i++) {
						this.repository.update("ABC234", (room) -> {
							long counter = room.state().get("counter").asLong();
							Room next = room.edit()
								.state(TestRooms.counter(counter + 1))
								.version(room.version() + 1)
								.build();
							return ChangeResult.save(next, next.version());
						}, Durability.DURABLE);
					}
				}));
			}
			for (Future<?> future : futures) {
				future.get(5, TimeUnit.MINUTES);
			}
		}
		finally {
			executor.shutdownNow();
		}

		Room room = this.repository.find("ABC234").orElseThrow();
		assertThat(room.state().get("counter").asLong()).isEqualTo(32_000);
		assertThat(room.version()).isEqualTo(32_000);
	}

	// Lifecycle indexes: findInactiveSince, findUnwarnedInactiveSince,
	// findWithMembersDisconnectedSince, findWithoutConnectedMembers

	@Test
	void findInactiveSinceReturnsRoomsActiveAtOrBeforeCutoffLeastRecentlyActiveFirst() {
		create(TestRooms.room("BBB", minute(2)));
		create(TestRooms.room("AAA", minute(0)));
		create(TestRooms.room("CCC", minute(1)));
		create(TestRooms.room("DDD", minute(5)));

		assertThat(this.repository.findInactiveSince(minute(2), 10)).containsExactly("AAA", "CCC", "BBB");
		assertThat(this.repository.findInactiveSince(minute(2), 2)).containsExactly("AAA", "CCC");
		assertThat(this.repository.findInactiveSince(minute(0).minusMillis(1), 10)).isEmpty();
		assertThat(this.repository.findInactiveSince(minute(9), 10)).containsExactly("AAA", "CCC", "BBB", "DDD");
	}

	@Test
	void findInactiveSinceWhenSameLastActivityThenOrderedByCode() {
		create(TestRooms.room("ZED", minute(1)));
		create(TestRooms.room("ABC", minute(1)));
		create(TestRooms.room("MID", minute(1)));

		assertThat(this.repository.findInactiveSince(minute(1), 10)).containsExactly("ABC", "MID", "ZED");
	}

	@Test
	void findInactiveSinceWhenRoomActiveAgainThenAtItsNewPlace() {
		create(TestRooms.room("AAA", minute(0)));
		create(TestRooms.room("BBB", minute(1)));

		this.repository.update("AAA", (room) -> ChangeResult.save(room.touched(minute(5)), true), Durability.DURABLE);

		assertThat(this.repository.findInactiveSince(minute(1), 10)).containsExactly("BBB");
		assertThat(this.repository.findInactiveSince(minute(5), 10)).containsExactly("BBB", "AAA");
		assertThat(this.repository.findUnwarnedInactiveSince(minute(5), 10)).containsExactly("BBB", "AAA");
		assertThat(this.repository.findWithoutConnectedMembers(10)).containsExactly("BBB", "AAA");
	}

	@Test
	void lifecycleQueriesWhenRoomDeletedThenItIsInNone() {
		create(withMembers(TestRooms.room("AAA", minute(0)), disconnected("m1", minute(0))));
		create(withMembers(TestRooms.room("BBB", minute(1)), disconnected("m2", minute(1))));

		this.repository.update("AAA", (room) -> ChangeResult.delete(true), Durability.DURABLE);

		assertThat(this.repository.findInactiveSince(minute(9), 10)).containsExactly("BBB");
		assertThat(this.repository.findUnwarnedInactiveSince(minute(9), 10)).containsExactly("BBB");
		assertThat(this.repository.findWithMembersDisconnectedSince(minute(9), 10)).containsExactly("BBB");
		assertThat(this.repository.findWithoutConnectedMembers(10)).containsExactly("BBB");
	}

	@Test
	void lifecycleQueriesWhenCodeReusedAfterDeleteThenOnlyTheNewRoomCounts() {
		create(TestRooms.room("AAA", minute(0)));
		this.repository.update("AAA", (room) -> ChangeResult.delete(true), Durability.DURABLE);
		create(TestRooms.room("AAA", minute(3)));

		assertThat(this.repository.findInactiveSince(minute(2), 10)).isEmpty();
		assertThat(this.repository.findInactiveSince(minute(3), 10)).containsExactly("AAA");
	}

	@Test
	void lifecycleQueriesWhenChangeThrowsThenRoomKeepsItsPlace() {
		create(TestRooms.room("AAA", minute(0)));

		assertThatThrownBy(() -> this.repository.update("AAA", (room) -> {
			throw new IllegalStateException("refused");
		}, Durability.DURABLE)).isInstanceOf(IllegalStateException.class);

		assertThat(this.repository.findInactiveSince(minute(0), 10)).containsExactly("AAA");
		assertThat(this.repository.findUnwarnedInactiveSince(minute(0), 10)).containsExactly("AAA");
		assertThat(this.repository.findWithoutConnectedMembers(10)).containsExactly("AAA");
	}

	@Test
	void findUnwarnedInactiveSinceLeavesOutWarnedRoomsUntilTheirNextActivity() {
		create(TestRooms.room("AAA", minute(0)));
		create(TestRooms.room("BBB", minute(1)));

		this.repository.update("AAA", (room) -> ChangeResult.save(room.edit().warnedAt(minute(4)).build(), true),
				Durability.DURABLE);
		assertThat(this.repository.findUnwarnedInactiveSince(minute(9), 10)).containsExactly("BBB");
		assertThat(this.repository.findInactiveSince(minute(9), 10)).containsExactly("AAA", "BBB");

		this.repository.update("AAA", (room) -> ChangeResult.save(room.touched(minute(6)), true), Durability.DURABLE);
		assertThat(this.repository.findUnwarnedInactiveSince(minute(9), 10)).containsExactly("BBB", "AAA");
	}

	@Test
	void findWithMembersDisconnectedSinceOrdersRoomsByTheirLongestGoneMember() {
		create(withMembers(TestRooms.room("AAA", minute(0)), connected("a1", minute(0)), disconnected("a2", minute(4)),
				disconnected("a3", minute(2))));
		create(withMembers(TestRooms.room("BBB", minute(0)), disconnected("b1", minute(3))));
		create(withMembers(TestRooms.room("CCC", minute(0)), connected("c1", minute(0))));
		create(TestRooms.room("DDD", minute(0)));

		assertThat(this.repository.findWithMembersDisconnectedSince(minute(9), 10)).containsExactly("AAA", "BBB");
		assertThat(this.repository.findWithMembersDisconnectedSince(minute(2), 10)).containsExactly("AAA");
		assertThat(this.repository.findWithMembersDisconnectedSince(minute(1), 10)).isEmpty();

		this.repository.update("AAA", (room) -> ChangeResult.save(room.withoutMember("a3"), true), Durability.DURABLE);
		assertThat(this.repository.findWithMembersDisconnectedSince(minute(9), 10)).containsExactly("BBB", "AAA");

		this.repository.update(
				"CCC", (room) -> ChangeResult
					.save(room.withMember("c1", (member) -> member.withPresence(false, minute(1))), true),
				Durability.DURABLE);
		assertThat(this.repository.findWithMembersDisconnectedSince(minute(9), 10)).containsExactly("CCC", "BBB",
				"AAA");
	}

	@Test
	void findWithoutConnectedMembersFollowsPresenceLeastRecentlyActiveFirst() {
		create(withMembers(TestRooms.room("AAA", minute(2)), disconnected("a1", minute(0))));
		create(withMembers(TestRooms.room("BBB", minute(0)), connected("b1", minute(0))));
		create(TestRooms.room("CCC", minute(1)));

		assertThat(this.repository.findWithoutConnectedMembers(10)).containsExactly("CCC", "AAA");
		assertThat(this.repository.findWithoutConnectedMembers(1)).containsExactly("CCC");

		this.repository.update(
				"BBB", (room) -> ChangeResult
					.save(room.withMember("b1", (member) -> member.withPresence(false, minute(3))), true),
				Durability.DURABLE);
		this.repository.update("CCC",
				(room) -> ChangeResult.save(room.withAddedMember(connected("c1", minute(3))), true),
				Durability.DURABLE);
		assertThat(this.repository.findWithoutConnectedMembers(10)).containsExactly("BBB", "AAA");
	}

	@Test
	void findInactiveSinceAmongManyRoomsReturnsOnlyTheRoomsDue() {
		List<String> due = new ArrayList<>();
		for (int i = 0; i < 60; i++) {
			String code = String.format("R%03d", i);
			boolean isDue = i % 20 == 0;
			create(TestRooms.room(code, isDue ? minute(0) : minute(10)));
			if (isDue) {
				due.add(code);
			}
		}

		assertThat(this.repository.findInactiveSince(minute(5), 1000)).containsExactlyElementsOf(due);
	}

	protected void create(Room room) {
		assertThat(this.repository.create(room)).isTrue();
	}

	protected static Instant minute(int minutes) {
		return NOW.plus(Duration.ofMinutes(minutes));
	}

	protected static Room withMembers(Room room, Member... members) {
		return room.edit().members(List.of(members)).build();
	}

	protected static Member connected(String id, Instant lastSeenAt) {
		return TestRooms.member(id, "Name " + id, lastSeenAt).withPresence(true, lastSeenAt);
	}

	protected static Member disconnected(String id, Instant lastSeenAt) {
		return TestRooms.member(id, "Name " + id, lastSeenAt).withPresence(false, lastSeenAt);
	}

	@Test
	void findPageWhenEmptyThenEmptyPage() {
		assertThat(this.repository.findPage(null, 10)).isEmpty();
	}

	@Test
	void findPageWalksEveryRoomOnceInCodeOrder() {
		List<String> codes = new ArrayList<>();
		for (int i = 0; i < 57; i++) {
			String code = "ROOM-" + (char) ('A' + i % 26) + i;
			codes.add(code);
			assertThat(this.repository.create(TestRooms.room(code, NOW))).isTrue();
		}
		Collections.sort(codes);
		List<String> walked = new ArrayList<>();
		String after = null;
		while (true) {
			List<Room> page = this.repository.findPage(after, 10);
			if (page.isEmpty()) {
				break;
			}
			assertThat(page).hasSizeLessThanOrEqualTo(10);
			page.forEach((room) -> walked.add(room.code()));
			after = page.get(page.size() - 1).code();
		}
		assertThat(walked).containsExactlyElementsOf(codes);
	}

	@Test
	void findPageStartsAfterTheGivenCodeAndHonoursTheLimit() {
		for (String code : List.of("CCC", "AAA", "EEE", "BBB", "DDD")) {
			this.repository.create(TestRooms.room(code, NOW));
		}
		assertThat(this.repository.findPage(null, 2)).extracting(Room::code).containsExactly("AAA", "BBB");
		assertThat(this.repository.findPage("BBB", 2)).extracting(Room::code).containsExactly("CCC", "DDD");
		assertThat(this.repository.findPage("BB", 1)).extracting(Room::code).containsExactly("BBB");
		assertThat(this.repository.findPage("EEE", 2)).isEmpty();
	}

	@Test
	void findPageReturnsRoomsAsStored() {
		Room room = TestRooms.room("ABC234", NOW).edit().state(TestRooms.counter(7)).version(7).build();
		this.repository.create(room);
		assertThat(this.repository.findPage(null, 5)).singleElement()
			.satisfies((found) -> assertThat(found.state().get("counter").asLong()).isEqualTo(7))
			.satisfies((found) -> assertThat(found.version()).isEqualTo(7));
	}

	@Test
	void findPageWhenRoomsAreDeletedDuringTheWalkThenTheWalkGoesOn() {
		for (String code : List.of("AAA", "BBB", "CCC", "DDD", "EEE", "FFF")) {
			this.repository.create(TestRooms.room(code, NOW));
		}
		List<Room> first = this.repository.findPage(null, 2);
		for (String code : List.of("CCC", "DDD")) {
			this.repository.update(code, (current) -> ChangeResult.delete(true), Durability.DURABLE);
		}
		assertThat(this.repository.findPage(first.get(first.size() - 1).code(), 2)).extracting(Room::code)
			.containsExactly("EEE", "FFF");
	}

	@Test
	void findPageWhenLimitBelowOneThenRefused() {
		assertThatThrownBy(() -> this.repository.findPage(null, 0)).isInstanceOf(IllegalArgumentException.class);
	}

	// RoomActivity: totals kept as rooms change, and the activity order

	@Test
	void totalsWhenEmptyThenNone() {
		assertThat(activity().totals()).isEqualTo(RoomActivity.Totals.NONE);
	}

	@Test
	void totalsFollowCreateJoinLeaveAndDelete() {
		create(withMembers(TestRooms.room("AAA", minute(0)), connected("a1", minute(0)), connected("a2", minute(0))));
		create(TestRooms.room("BBB", minute(0)));
		assertTotals(2, 2);

		this.repository.update("BBB",
				(room) -> ChangeResult.save(room.withAddedMember(connected("b1", minute(1))), true),
				Durability.DURABLE);
		this.repository.update("AAA",
				(room) -> ChangeResult.save(room.withAddedMember(connected("a3", minute(1))), true),
				Durability.DURABLE);
		assertTotals(2, 4);

		this.repository.update("AAA", (room) -> ChangeResult.save(room.withoutMember("a1"), true), Durability.DEFERRED);
		assertTotals(2, 3);

		this.repository.update("AAA", (room) -> ChangeResult.delete(true), Durability.DURABLE);
		assertTotals(1, 1);
		assertTotalsMatchAWalk();
	}

	@Test
	void totalsWhenChangeDoesNotStoreThenUnchanged() {
		create(withMembers(TestRooms.room("AAA", minute(0)), connected("a1", minute(0))));
		Room other = withMembers(TestRooms.room("AAA", minute(0)), connected("x1", minute(0)),
				connected("x2", minute(0)));

		assertThat(this.repository.create(other)).isFalse();
		assertThatThrownBy(() -> this.repository.update("AAA", (room) -> {
			throw new IllegalStateException("refused");
		}, Durability.DURABLE)).isInstanceOf(IllegalStateException.class);
		this.repository.update("AAA", (room) -> ChangeResult.unchanged(true), Durability.DURABLE);
		this.repository.update("NOPE", (room) -> ChangeResult.delete(true), Durability.DURABLE);

		assertTotals(1, 1);
	}

	@Test
	void totalsWhenCodeReusedAfterDeleteThenOnlyTheNewRoomCounts() {
		create(withMembers(TestRooms.room("AAA", minute(0)), connected("a1", minute(0)), connected("a2", minute(0))));
		this.repository.update("AAA", (room) -> ChangeResult.delete(true), Durability.DURABLE);
		create(withMembers(TestRooms.room("AAA", minute(1)), connected("n1", minute(1))));

		assertTotals(1, 1);
	}

	@Test
	void totalsWhen16ThreadsJoinAndLeaveThenExact() throws Exception {
		List<String> codes = List.of("AAA", "BBB", "CCC", "DDD");
		for (String code : codes) {
			create(TestRooms.room(code, minute(0)));
		}
		int threads = 16;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				String code = codes.get(t % codes.size());
				String member = "m" + t;
				futures.add(executor.submit(() -> {
					for (int i = 0; i < 50; i++) {
						String id = member + "-" + i;
						this.repository.update(code,
								(room) -> ChangeResult.save(room.withAddedMember(connected(id, minute(1))), true),
								Durability.DEFERRED);
						if (i % 2 == 0) {
							this.repository.update(code, (room) -> ChangeResult.save(room.withoutMember(id), true),
									Durability.DEFERRED);
						}
					}
				}));
			}
			for (Future<?> future : futures) {
				future.get(5, TimeUnit.MINUTES);
			}
		}
		finally {
			executor.shutdownNow();
		}

		assertTotals(4, threads * 25);
		assertTotalsMatchAWalk();
	}

	@Test
	void totalsInactiveSinceCountsOnlyTheRoomsAtOrBeforeTheCutoff() {
		create(withMembers(TestRooms.room("AAA", minute(0)), connected("a1", minute(0))));
		create(withMembers(TestRooms.room("BBB", minute(2)), connected("b1", minute(2)), connected("b2", minute(2))));
		create(withMembers(TestRooms.room("CCC", minute(3)), connected("c1", minute(3))));

		assertThat(activity().totalsInactiveSince(minute(0).minusMillis(1))).isEqualTo(RoomActivity.Totals.NONE);
		assertThat(activity().totalsInactiveSince(minute(0))).isEqualTo(new RoomActivity.Totals(1, 1));
		assertThat(activity().totalsInactiveSince(minute(2))).isEqualTo(new RoomActivity.Totals(2, 3));
		assertThat(activity().totalsInactiveSince(minute(9))).isEqualTo(new RoomActivity.Totals(3, 4));

		this.repository.update("AAA", (room) -> ChangeResult.save(room.touched(minute(5)), true), Durability.DURABLE);
		assertThat(activity().totalsInactiveSince(minute(2))).isEqualTo(new RoomActivity.Totals(1, 2));
	}

	@Test
	void totalsInactiveSinceWhenMoreRoomsThanOneReadThenAllCounted() {
		// More than one batch of a store that reads in batches (Redis: 500).
		for (int i = 0; i < 620; i++) {
			create(withMembers(TestRooms.room(String.format("R%04d", i), minute(0).plusMillis(i)),
					connected("m", minute(0))));
		}

		assertThat(activity().totalsInactiveSince(minute(0).plusMillis(560)))
			.isEqualTo(new RoomActivity.Totals(561, 561));
	}

	@Test
	void countActiveAfterCountsTheRoomsLastActiveLater() {
		create(TestRooms.room("AAA", minute(0)));
		create(TestRooms.room("BBB", minute(2)));
		create(TestRooms.room("CCC", minute(3)));

		assertThat(activity().countActiveAfter(minute(0))).isEqualTo(2);
		assertThat(activity().countActiveAfter(minute(2))).isEqualTo(1);
		assertThat(activity().countActiveAfter(minute(3))).isZero();
		assertThat(activity().countActiveAfter(minute(-1))).isEqualTo(3);
	}

	@Test
	void findMostRecentlyActiveListsMostRecentFirstWithinTheBounds() {
		create(TestRooms.room("OLD", minute(0)));
		create(TestRooms.room("MID", minute(2)));
		create(TestRooms.room("NEW", minute(4)));
		create(TestRooms.room("AHEAD", minute(9)));

		assertThat(activity().findMostRecentlyActive(minute(0), minute(4), 0, 10)).extracting(Room::code)
			.containsExactly("NEW", "MID");
		assertThat(activity().findMostRecentlyActive(minute(-1), minute(9), 0, 10)).extracting(Room::code)
			.containsExactly("AHEAD", "NEW", "MID", "OLD");
		assertThat(activity().findMostRecentlyActive(minute(-1), minute(9), 1, 2)).extracting(Room::code)
			.containsExactly("NEW", "MID");
		assertThat(activity().findMostRecentlyActive(minute(-1), minute(9), 4, 2)).isEmpty();
		assertThat(activity().findMostRecentlyActive(minute(4), minute(8), 0, 10)).isEmpty();
	}

	@Test
	void findMostRecentlyActiveOrdersTiesByCodeOnEveryPage() {
		// Groups of one instant: (minute 3: C1 C2 C3), (minute 2: B1 B2 B3 B4), (minute
		// 1: A1 A2)
		for (String code : List.of("B3", "C2", "A2", "B1", "C3", "B4", "A1", "C1", "B2")) {
			Instant at = switch (code.charAt(0)) {
				case 'A' -> minute(1);
				case 'B' -> minute(2);
				default -> minute(3);
			};
			create(TestRooms.room(code + "X", at));
		}
		List<String> expected = List.of("C1X", "C2X", "C3X", "B1X", "B2X", "B3X", "B4X", "A1X", "A2X");

		for (int size = 1; size <= 4; size++) {
			List<String> walked = new ArrayList<>();
			for (int offset = 0; offset < expected.size(); offset += size) {
				List<Room> page = activity().findMostRecentlyActive(minute(0), minute(9), offset, size);
				assertThat(page).hasSizeLessThanOrEqualTo(size);
				page.forEach((room) -> walked.add(room.code()));
			}
			assertThat(walked).as("pages of %d", size).containsExactlyElementsOf(expected);
		}
	}

	@Test
	void findMostRecentlyActiveReturnsRoomsAsStoredAndFollowsChanges() {
		create(TestRooms.room("AAA", minute(0)));
		create(TestRooms.room("BBB", minute(1)));
		create(TestRooms.room("CCC", minute(2)));

		this.repository.update("AAA",
				(room) -> ChangeResult.save(room.touched(minute(5)).withAddedMember(connected("a1", minute(5))), true),
				Durability.DURABLE);
		this.repository.update("CCC", (room) -> ChangeResult.delete(true), Durability.DURABLE);

		List<Room> page = activity().findMostRecentlyActive(minute(-1), minute(9), 0, 10);
		assertThat(page).extracting(Room::code).containsExactly("AAA", "BBB");
		assertThat(page.get(0).members()).extracting(Member::id).containsExactly("a1");
	}

	@Test
	void findMostRecentlyActiveWhenLimitBelowOneThenRefused() {
		assertThatThrownBy(() -> activity().findMostRecentlyActive(minute(0), minute(1), 0, 0))
			.isInstanceOf(IllegalArgumentException.class);
	}

	/** The store under test as {@link RoomActivity} (every store is one). */
	protected RoomActivity activity() {
		return (RoomActivity) this.repository;
	}

	protected void assertTotals(long rooms, long members) {
		assertThat(activity().totals()).isEqualTo(new RoomActivity.Totals(rooms, members));
	}

	/** The kept totals are what a walk of every room counts. */
	protected void assertTotalsMatchAWalk() {
		List<Room> all = this.repository.findAll();
		long members = all.stream().mapToLong((room) -> room.members().size()).sum();
		assertThat(activity().totals()).isEqualTo(new RoomActivity.Totals(all.size(), members));
	}

	private static void await(CountDownLatch latch) {
		try {
			if (!latch.await(10, TimeUnit.SECONDS)) {
				throw new AssertionError("latch not released");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

}
