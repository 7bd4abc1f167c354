package dev.roomkeeper.store.redis;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import dev.roomkeeper.room.Caller;
import dev.roomkeeper.room.ChangeResult;
import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.HistoryEvent;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomActivity.Totals;
import dev.roomkeeper.room.RoomChange;
import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.room.StoreStartupException;
import dev.roomkeeper.room.event.MessageEvent;
import dev.roomkeeper.room.event.PublishedEvent;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.store.AbstractRoomRepositoryContractTests;
import dev.roomkeeper.support.ExpectedErrorLogs;
import dev.roomkeeper.support.TestRedis;
import dev.roomkeeper.support.TestRedisExtension;
import dev.roomkeeper.support.TestRooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The repository contract on Redis, plus what only a shared store has: a second
 * repository on the same prefix plays a second instance.
 */
class RedisRoomRepositoryTests extends AbstractRoomRepositoryContractTests {

	@RegisterExtension
	static final TestRedisExtension testRedis = new TestRedisExtension(RedisRoomRepositoryTests.class);

	private static final AtomicInteger repositories = new AtomicInteger();

	private final RoomEventBus otherBus = new RoomEventBus(this.jsonMapper);

	private final List<PublishedEvent> otherEvents = Collections.synchronizedList(new ArrayList<>());

	private String prefix;

	private RedisRoomRepository other;

	@Override
	protected RoomRepository createRepository() {
		this.prefix = testRedis.prefix() + repositories.incrementAndGet() + ":";
		return new RedisRoomRepository(testRedis.connectionFactory(), this.prefix, this.jsonMapper, this.eventBus);
	}

	@Override
	protected void closeRepository(RoomRepository repository) {
		((RedisRoomRepository) repository).close();
	}

	/** A second instance on the same Redis and prefix, with its own event bus. */
	private RedisRoomRepository otherInstance() {
		if (this.other == null) {
			this.otherBus.addListener(this.otherEvents::add);
			this.other = new RedisRoomRepository(testRedis.connectionFactory(), this.prefix, this.jsonMapper,
					this.otherBus);
		}
		return this.other;
	}

	@AfterEach
	void closeOtherInstance() {
		if (this.other != null) {
			this.other.close();
		}
	}

	private StringRedisTemplate redis() {
		return new StringRedisTemplate(testRedis.connectionFactory());
	}

	@Test
	void createThenRoomIsOneHashOfJsonAndRevisionWithoutSecrets() {
		Room room = TestRooms.room("ABC234", NOW);
		this.repository.create(room);

		String json = (String) redis().opsForHash().get(this.prefix + "room:ABC234", "room");
		assertThat(json).contains("\"code\":\"ABC234\"").contains("ownerTokenHash").doesNotContain("owner-ABC234");
		assertThat(this.jsonMapper.readValue(json, Room.class)).isEqualTo(room);
		assertThat(redis().opsForHash().keys(this.prefix + "room:ABC234")).containsExactlyInAnyOrder("room", "rev");
		assertThat(redis().opsForZSet().range(this.prefix + "rooms", 0, -1)).containsExactly("ABC234");
		assertThat(redis().getExpire(this.prefix + "room:ABC234")).isEqualTo(-1);
	}

	@Test
	void updateWhenRaisedOnOneInstanceThenEveryInstanceGetsTheEventOnceWithTheSameJson() {
		RedisRoomRepository other = otherInstance();
		this.repository.create(TestRooms.room("ABC234", NOW));

		this.repository.update("ABC234", (room) -> {
			Room next = room.nextSeq();
			return ChangeResult.save(next, null, new MessageEvent("ABC234", NOW, next.seq(), "m1",
					this.jsonMapper.getNodeFactory().textNode("hello")));
		}, Durability.DURABLE);

		assertThat(this.events).singleElement().satisfies((event) -> assertThat(event.event()).isNotNull());
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(10))
			.until(() -> this.otherEvents.size() == 1);
		PublishedEvent received = this.otherEvents.get(0);
		assertThat(received.event()).isNull();
		assertThat(received.room()).isEqualTo("ABC234");
		assertThat(received.seq()).isEqualTo(1);
		assertThat(received.type()).isEqualTo("message");
		assertThat(received.json()).isEqualTo(this.events.get(0).json());
		assertThat(other.find("ABC234")).get().extracting(Room::seq).isEqualTo(1L);
	}

	@Test
	void updateWhenTwoInstancesRaiseEventsConcurrentlyThenBothSeeEverySeqInOrder() throws Exception {
		RedisRoomRepository other = otherInstance();
		this.repository.create(TestRooms.room("ABC234", NOW));
		int threadsPerInstance = 4;
		int updatesPerThread = 100;
		ExecutorService executor = Executors.newFixedThreadPool(2 * threadsPerInstance);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (RoomRepository instance : List.of(this.repository, other)) {
				for (int t = 0; t < threadsPerInstance; t++) {
					futures.add(executor.submit(() -> {
						for (int i = 0; i < updatesPerThread; i++) {
							instance.update("ABC234", (room) -> {
								Room next = room.nextSeq();
								return ChangeResult.save(next, null, new MessageEvent("ABC234", NOW, next.seq(), "m",
										this.jsonMapper.getNodeFactory().numberNode(next.seq())));
							}, Durability.DEFERRED);
						}
					}));
				}
			}
			for (Future<?> future : futures) {
				future.get(2, TimeUnit.MINUTES);
			}
		}
		finally {
			executor.shutdownNow();
		}

		long total = 2L * threadsPerInstance * updatesPerThread;
		List<Long> expected = LongStream.rangeClosed(1, total).boxed().toList();
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(10))
			.until(() -> this.events.size() == total && this.otherEvents.size() == total);
		assertThat(this.events).extracting(PublishedEvent::seq).containsExactlyElementsOf(expected);
		assertThat(this.otherEvents).extracting(PublishedEvent::seq).containsExactlyElementsOf(expected);
		assertThat(this.repository.find("ABC234")).get().extracting(Room::seq).isEqualTo(total);
	}

	@Test
	void updateWhenAMessageIsSentThenOnlyItsActivityFieldsAreWrittenAndEveryReadShowsThem() {
		Room created = roomWithAnn();
		this.repository.create(created);
		String key = this.prefix + "room:ABC234";
		Object json = redis().opsForHash().get(key, "room");
		Object rev = redis().opsForHash().get(key, "rev");
		Instant later = NOW.plusSeconds(30);

		sendMessage(this.repository, "ABC234", "m1", later);
		sendMessage(this.repository, "ABC234", "m1", later.plusSeconds(1));

		assertThat(redis().opsForHash().get(key, "room")).isEqualTo(json);
		assertThat(redis().opsForHash().get(key, "rev")).isEqualTo(rev);
		assertThat(redis().opsForHash().entries(key)).containsEntry("seq", "2")
			.containsEntry("at", later.plusSeconds(1).toString())
			.containsEntry("seen:m1", later.plusSeconds(1).toString());
		Room expected = created.edit()
			.seq(2)
			.lastActivityAt(later.plusSeconds(1))
			.members(List.of(created.members().get(0).withPresence(false, later.plusSeconds(1))))
			.build();
		RedisRoomRepository other = otherInstance();
		for (RoomRepository instance : List.of(this.repository, other)) {
			// (recursive: the JSON reads the counter back as an int node)
			assertThat(instance.find("ABC234")).get().usingRecursiveComparison().isEqualTo(expected);
			assertThat(instance.findAll()).singleElement().usingRecursiveComparison().isEqualTo(expected);
			assertThat(instance.findPage(null, 10)).singleElement().usingRecursiveComparison().isEqualTo(expected);
			assertThat(((RedisRoomRepository) instance).findMostRecentlyActive(NOW, later.plusSeconds(5), 0, 10))
				.singleElement()
				.usingRecursiveComparison()
				.isEqualTo(expected);
			Room withHistory = instance.findWithHistory("ABC234").orElseThrow();
			assertThat(withHistory.history().events()).extracting(HistoryEvent::seq).containsExactly(1L, 2L);
			assertThat(withHistory.withHistory(expected.history())).usingRecursiveComparison().isEqualTo(expected);
		}
		assertThat(redis().opsForZSet().score(this.prefix + "rooms:inactive", "ABC234"))
			.isEqualTo((double) RedisKeys.microsOf(later.plusSeconds(1)));
	}

	@Test
	void updateWhenTheRoomIsSavedAfterMessagesThenItsJsonHoldsTheirActivity() {
		this.repository.create(roomWithAnn());
		Instant later = NOW.plusSeconds(30);
		sendMessage(otherInstance(), "ABC234", "m1", later);

		increment(this.repository, "ABC234");

		String key = this.prefix + "room:ABC234";
		assertThat(redis().opsForHash().keys(key)).containsExactlyInAnyOrder("room", "rev");
		Room stored = this.jsonMapper.readValue((String) redis().opsForHash().get(key, "room"), Room.class);
		assertThat(stored.seq()).isEqualTo(1);
		assertThat(stored.lastActivityAt()).isEqualTo(later);
		assertThat(stored.members().get(0).lastSeenAt()).isEqualTo(later);
		assertThat(stored.state().get("counter").asLong()).isEqualTo(1);
	}

	@Test
	void updateWhenAnotherInstanceSentMessagesMeanwhileThenMessagesHereTakeTheNextSeq() {
		RedisRoomRepository other = otherInstance();
		this.repository.create(roomWithAnn());
		sendMessage(this.repository, "ABC234", "m1", NOW.plusSeconds(1));
		sendMessage(other, "ABC234", "m1", NOW.plusSeconds(2));
		sendMessage(other, "ABC234", "m1", NOW.plusSeconds(3));

		sendMessage(this.repository, "ABC234", "m1", NOW.plusSeconds(4));
		increment(this.repository, "ABC234");

		assertThat(this.events).extracting(PublishedEvent::seq).containsExactly(1L, 2L, 3L, 4L);
		Room stored = this.repository.findWithHistory("ABC234").orElseThrow();
		assertThat(stored.seq()).isEqualTo(4);
		assertThat(stored.lastActivityAt()).isEqualTo(NOW.plusSeconds(4));
		assertThat(stored.history().events()).extracting(HistoryEvent::seq).containsExactly(1L, 2L, 3L, 4L);
	}

	@Test
	void updateWhenAnotherInstancesMessagesHaveArrivedThenEachMessageIsComputedOnceFromTheCurrentSeq() {
		RedisRoomRepository other = otherInstance();
		this.repository.create(roomWithAnn());
		AtomicInteger computed = new AtomicInteger();

		for (int i = 1; i <= 6; i++) {
			RoomRepository sender = (i % 2 == 1) ? this.repository : other;
			sendMessage(sender, "ABC234", "m1", NOW.plusSeconds(i), computed::incrementAndGet);
			long seq = i;
			org.awaitility.Awaitility.await()
				.atMost(java.time.Duration.ofSeconds(10))
				.until(() -> this.events.size() == seq && this.otherEvents.size() == seq);
		}

		assertThat(computed).as("changes computed for 6 messages: each once, none refused for a stale seq").hasValue(6);
		assertThat(this.events).extracting(PublishedEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
		assertThat(this.otherEvents).extracting(PublishedEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
		assertThat(other.findWithHistory("ABC234")).get()
			.satisfies((room) -> assertThat(room.seq()).isEqualTo(6))
			.satisfies((room) -> assertThat(room.lastActivityAt()).isEqualTo(NOW.plusSeconds(6)));
	}

	@Test
	void updateWhenAnotherInstanceRemovedTheSenderMeanwhileThenTheMessageSeesTheRoomWithoutIt() {
		annSentOnceThenTheOtherInstanceRemovedHer();

		assertThatThrownBy(() -> sendMessage(this.repository, "ABC234", "m1", NOW.plusSeconds(2)))
			.isInstanceOf(IllegalStateException.class)
			.hasMessage("not a member: m1");
		assertThat(this.repository.findWithHistory("ABC234")).get()
			.satisfies((room) -> assertThat(room.members()).isEmpty())
			.satisfies((room) -> assertThat(room.history().events()).extracting(HistoryEvent::seq).containsExactly(1L));
	}

	@Test
	void updateInBackgroundWhenTwoInstancesSendMessagesConcurrentlyThenEverySeqArrivesOnceAndEachSendersInOrder()
			throws Exception {
		RedisRoomRepository other = otherInstance();
		this.repository.create(roomWithAnn());
		int sendersPerInstance = 3;
		int messagesPerSender = 150;
		ExecutorService executor = Executors.newFixedThreadPool(2 * sendersPerInstance);
		List<CompletableFuture<?>> stored = Collections.synchronizedList(new ArrayList<>());
		try {
			List<Future<?>> senders = new ArrayList<>();
			for (int s = 0; s < 2 * sendersPerInstance; s++) {
				RoomRepository instance = (s < sendersPerInstance) ? this.repository : other;
				int sender = s;
				senders.add(executor.submit(() -> {
					for (int i = 0; i < messagesPerSender; i++) {
						stored.add(instance
							.updateInBackground("ABC234", numberedMessage(sender * 1000 + i), Durability.ACTIVITY)
							.toCompletableFuture());
					}
				}));
			}
			for (Future<?> sender : senders) {
				sender.get(2, TimeUnit.MINUTES);
			}
			CompletableFuture.allOf(stored.toArray(new CompletableFuture<?>[0])).get(2, TimeUnit.MINUTES);
		}
		finally {
			executor.shutdownNow();
		}

		long total = 2L * sendersPerInstance * messagesPerSender;
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(10))
			.until(() -> this.events.size() == total && this.otherEvents.size() == total);
		List<Long> expected = LongStream.rangeClosed(1, total).boxed().toList();
		assertThat(this.events).extracting(PublishedEvent::seq).containsExactlyElementsOf(expected);
		assertThat(this.otherEvents).extracting(PublishedEvent::seq).containsExactlyElementsOf(expected);
		int[] lastBySender = new int[2 * sendersPerInstance];
		java.util.Arrays.fill(lastBySender, -1);
		for (PublishedEvent event : this.events) {
			int number = this.jsonMapper.readTree(event.json()).get("data").asInt();
			assertThat(number % 1000).as("sender %d's messages in the order sent", number / 1000)
				.isEqualTo(lastBySender[number / 1000] + 1);
			lastBySender[number / 1000] = number % 1000;
		}
		assertThat(other.findWithHistory("ABC234")).get().extracting(Room::seq).isEqualTo(total);
	}

	@Test
	void updateInBackgroundWhenAnotherInstanceRemovedTheSenderMeanwhileThenTheStageFailsAndNothingIsStored() {
		annSentOnceThenTheOtherInstanceRemovedHer();

		CompletableFuture<?> stored = this.repository.updateInBackground("ABC234", (room) -> {
			if (room.member("m1").isEmpty()) {
				throw new IllegalStateException("not a member: m1");
			}
			return numberedMessage(1).apply(room);
		}, Durability.ACTIVITY).toCompletableFuture();

		assertThat(stored).failsWithin(java.time.Duration.ofSeconds(10))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessage("not a member: m1");
		assertThat(this.repository.findWithHistory("ABC234")).get()
			.satisfies((room) -> assertThat(room.seq()).isEqualTo(1))
			.satisfies((room) -> assertThat(room.history().events()).extracting(HistoryEvent::seq).containsExactly(1L));
	}

	@Test
	void updateInBackgroundWhenRedisLostItsScriptsThenTheMessageIsWrittenAllTheSame() throws Exception {
		this.repository.create(roomWithAnn());
		this.repository.updateInBackground("ABC234", numberedMessage(1), Durability.ACTIVITY)
			.toCompletableFuture()
			.get(10, TimeUnit.SECONDS);
		redis().execute((org.springframework.data.redis.core.RedisCallback<Object>) (connection) -> {
			connection.scriptingCommands().scriptFlush();
			return null;
		});

		assertThat(this.repository.updateInBackground("ABC234", numberedMessage(2), Durability.ACTIVITY)
			.toCompletableFuture()
			.get(10, TimeUnit.SECONDS)).contains(true);
		assertThat(this.repository.findWithHistory("ABC234")).get()
			.satisfies((room) -> assertThat(room.history().events()).extracting(HistoryEvent::seq)
				.containsExactly(1L, 2L));
	}

	@Test
	void updateInBackgroundWhileACallIsUnderWayThenTheWaitingRoomsMessagesGoTogetherAndEachIsWrittenOnItsOwn()
			throws Exception {
		RedisRoomRepository other = otherInstance();
		List<String> codes = List.of("ROOM21", "ROOM22", "ROOM23", "ROOM24", "ROOM25");
		for (String code : codes) {
			this.repository.create(roomWithAnn(code));
		}
		// The other instance saves ROOM22: this instance's copy of it is stale.
		other.update("ROOM22", (room) -> ChangeResult.save(room.edit().state(TestRooms.counter(7)).build(), true),
				Durability.DURABLE);
		List<String> channelMessages = Collections.synchronizedList(new ArrayList<>());
		RedisMessageListenerContainer listener = listenTo(this.prefix + "events", channelMessages);
		try {
			// Redis holds the first call for a second: the other messages wait for it.
			redis().execute((RedisCallback<Object>) (connection) -> connection.execute("CLIENT", "PAUSE".getBytes(),
					"1000".getBytes()));
			List<CompletableFuture<Optional<Boolean>>> stored = new ArrayList<>();
			for (String code : codes) {
				stored.add(this.repository
					.updateInBackground(code, numberedMessage(code, codes.indexOf(code)), Durability.ACTIVITY)
					.toCompletableFuture());
			}
			for (CompletableFuture<Optional<Boolean>> one : stored) {
				assertThat(one.get(10, TimeUnit.SECONDS)).contains(true);
			}

			org.awaitility.Awaitility.await()
				.atMost(java.time.Duration.ofSeconds(10))
				.until(() -> this.events.size() == 5 && this.otherEvents.size() == 5);
			assertThat(this.events).allSatisfy((event) -> assertThat(event.event()).isNotNull());
			for (RoomRepository instance : List.of(this.repository, other)) {
				for (String code : codes) {
					Room room = instance.findWithHistory(code).orElseThrow();
					assertThat(room.seq()).isEqualTo(1);
					assertThat(room.history().events()).singleElement()
						.satisfies((event) -> assertThat(event.json()).contains("\"data\":" + codes.indexOf(code)));
				}
			}
			assertThat(other.find("ROOM22").orElseThrow().state().get("counter").asInt()).isEqualTo(7);
			// ROOM21's message went alone; ROOM23-25's went in one call and one channel
			// message; ROOM22's, turned down in that call, was computed again and sent.
			assertThat(channelMessages).hasSize(3);
			assertThat(channelMessages).filteredOn((message) -> message.startsWith("*3\n"))
				.singleElement()
				.satisfies((message) -> assertThat(message).contains("ROOM23", "ROOM24", "ROOM25")
					.doesNotContain("ROOM21", "ROOM22"));
			assertThat(this.otherEvents).extracting(PublishedEvent::room)
				.containsExactly("ROOM21", "ROOM23", "ROOM24", "ROOM25", "ROOM22");
		}
		finally {
			listener.stop();
			listener.destroy();
		}
	}

	@Test
	void updateInBackgroundWithAMessageDelayThenMessagesOfRoomsSentWithinItGoInOneCall() throws Exception {
		List<String> codes = List.of("ROOM31", "ROOM32", "ROOM33", "ROOM34");
		List<String> channelMessages = Collections.synchronizedList(new ArrayList<>());
		RedisMessageListenerContainer listener = listenTo(this.prefix + "events", channelMessages);
		RoomEventBus bus = new RoomEventBus(this.jsonMapper);
		List<PublishedEvent> events = Collections.synchronizedList(new ArrayList<>());
		bus.addListener(events::add);
		try (RedisRoomRepository delayed = new RedisRoomRepository(testRedis.connectionFactory(), this.prefix,
				this.jsonMapper, bus, new SimpleMeterRegistry(), 100, java.time.Duration.ofMillis(500))) {
			for (String code : codes) {
				delayed.create(roomWithAnn(code));
			}
			List<CompletableFuture<Optional<Boolean>>> stored = new ArrayList<>();
			for (String code : codes) {
				stored.add(delayed.updateInBackground(code, numberedMessage(code, 1), Durability.ACTIVITY)
					.toCompletableFuture());
			}
			for (CompletableFuture<Optional<Boolean>> one : stored) {
				assertThat(one.get(10, TimeUnit.SECONDS)).contains(true);
			}

			org.awaitility.Awaitility.await()
				.atMost(java.time.Duration.ofSeconds(10))
				.until(() -> events.size() == codes.size());
			assertThat(events).extracting(PublishedEvent::room).containsExactlyElementsOf(codes);
			assertThat(events).allSatisfy((event) -> assertThat(event.event()).isNotNull());
			assertThat(channelMessages).singleElement()
				.satisfies((message) -> assertThat(message).startsWith("*4\n").contains(codes));
			for (String code : codes) {
				assertThat(delayed.findWithHistory(code)).get()
					.satisfies((room) -> assertThat(room.history().events()).extracting(HistoryEvent::seq)
						.containsExactly(1L));
			}
		}
		finally {
			listener.stop();
			listener.destroy();
		}
	}

	/** Collects the raw messages of a channel. */
	private static RedisMessageListenerContainer listenTo(String channel, List<String> messages) {
		RedisMessageListenerContainer listener = new RedisMessageListenerContainer();
		listener.setConnectionFactory(testRedis.connectionFactory());
		listener.addMessageListener(
				(message, pattern) -> messages.add(new String(message.getBody(), StandardCharsets.UTF_8)),
				new ChannelTopic(channel));
		listener.afterPropertiesSet();
		listener.start();
		return listener;
	}

	/** A message by m1 in ABC234 whose data is {@code number}. */
	private RoomChange<Boolean> numberedMessage(int number) {
		return numberedMessage("ABC234", number);
	}

	/** A message by m1 whose data is {@code number}. */
	private RoomChange<Boolean> numberedMessage(String code, int number) {
		return (room) -> {
			Room next = room.touchedBy(new Caller("m1", false), NOW).nextSeq();
			return ChangeResult.save(next, true,
					new MessageEvent(code, NOW, next.seq(), "m1", this.jsonMapper.getNodeFactory().numberNode(number)));
		};
	}

	/**
	 * Room ABC234 where m1 sent a message (seq 1) through this instance, which keeps its
	 * copy, and was then removed through the other instance.
	 */
	private void annSentOnceThenTheOtherInstanceRemovedHer() {
		RedisRoomRepository other = otherInstance();
		this.repository.create(roomWithAnn());
		sendMessage(this.repository, "ABC234", "m1", NOW.plusSeconds(1));
		other.update("ABC234", (room) -> ChangeResult.save(room.withoutMember("m1"), true), Durability.DURABLE);
	}

	/** Room ABC234 with a counter at 0 and one member, m1. */
	private static Room roomWithAnn() {
		return roomWithAnn("ABC234");
	}

	/** A room with a counter at 0 and one member, m1. */
	private static Room roomWithAnn(String code) {
		return TestRooms.room(code, NOW)
			.edit()
			.state(TestRooms.counter(0))
			.build()
			.withAddedMember(TestRooms.member("m1", "Ann", NOW));
	}

	/**
	 * A message by a member, as the service sends it: activity, the sender seen, a seq.
	 */
	private void sendMessage(RoomRepository instance, String code, String memberId, Instant now) {
		sendMessage(instance, code, memberId, now, () -> {
		});
	}

	/** A message, with a call each time its change is computed. */
	private void sendMessage(RoomRepository instance, String code, String memberId, Instant now, Runnable computed) {
		instance.update(code, (room) -> {
			computed.run();
			if (room.member(memberId).isEmpty()) {
				throw new IllegalStateException("not a member: " + memberId);
			}
			Room next = room.touchedBy(new Caller(memberId, false), now).nextSeq();
			return ChangeResult.save(next, null, new MessageEvent(code, now, next.seq(), memberId,
					this.jsonMapper.getNodeFactory().textNode("hello")));
		}, Durability.ACTIVITY);
	}

	@Test
	void findWithHistoryWhenMoreMessagesThanTheHistorySizeThenTheLastOnesAndTheListStaysBounded() {
		try (RedisRoomRepository sixteen = new RedisRoomRepository(testRedis.connectionFactory(), this.prefix,
				this.jsonMapper, this.eventBus, new SimpleMeterRegistry(), 16)) {
			sixteen.create(roomWithAnn());
			for (int i = 1; i <= 41; i++) {
				sendMessage(sixteen, "ABC234", "m1", NOW.plusSeconds(i));
			}

			Room stored = sixteen.findWithHistory("ABC234").orElseThrow();
			assertThat(stored.history().events()).extracting(HistoryEvent::seq)
				.containsExactlyElementsOf(LongStream.rangeClosed(26, 41).boxed().toList());
			// Trimmed once it is an eighth longer than its size, not on every message.
			assertThat(redis().opsForList().size(this.prefix + "history:ABC234")).isBetween(16L, 18L);
		}
	}

	@Test
	void updateWhenAnotherInstanceWritesMeanwhileThenChangeRunsAgainOnTheCurrentRoom() {
		RedisRoomRepository other = otherInstance();
		this.repository.create(TestRooms.room("ABC234", NOW).edit().state(TestRooms.counter(0)).build());
		AtomicInteger calls = new AtomicInteger();

		Long counter = this.repository.update("ABC234", (room) -> {
			if (calls.incrementAndGet() == 1) {
				increment(other, "ABC234");
			}
			long next = room.state().get("counter").asLong() + 1;
			return ChangeResult.save(room.edit().state(TestRooms.counter(next)).build(), next);
		}, Durability.DURABLE).orElseThrow();

		assertThat(calls).hasValue(2);
		assertThat(counter).isEqualTo(2);
		assertThat(this.repository.find("ABC234")).get()
			.extracting((room) -> room.state().get("counter").asLong())
			.isEqualTo(2L);
	}

	@Test
	void updateWhenAnotherInstanceDeletesMeanwhileThenEmptyAndNoHalfWrittenRoom() {
		RedisRoomRepository other = otherInstance();
		this.repository.create(TestRooms.room("ABC234", NOW));
		AtomicInteger calls = new AtomicInteger();

		var result = this.repository.update("ABC234", (room) -> {
			calls.incrementAndGet();
			other.update("ABC234", (current) -> ChangeResult.delete(true), Durability.DURABLE);
			return ChangeResult.save(room.edit().name("Saved after delete").build(), true);
		}, Durability.DURABLE);

		assertThat(result).isEmpty();
		assertThat(calls).hasValue(1);
		assertThat(redis().hasKey(this.prefix + "room:ABC234")).isFalse();
		assertThat(redis().opsForZSet().range(this.prefix + "rooms", 0, -1)).isEmpty();
		assertThat(this.repository.count()).isZero();
	}

	@Test
	void updateWhenRoomIsDeletedAndCreatedAgainMeanwhileThenStaleChangeRunsAgainOnTheNewRoom() {
		RedisRoomRepository other = otherInstance();
		this.repository.create(TestRooms.room("ABC234", NOW));
		List<String> namesSeen = Collections.synchronizedList(new ArrayList<>());

		this.repository.update("ABC234", (room) -> {
			namesSeen.add(room.name());
			if (namesSeen.size() == 1) {
				other.update("ABC234", (current) -> ChangeResult.delete(true), Durability.DURABLE);
				other.create(TestRooms.room("ABC234", NOW).edit().name("Second room").build());
			}
			return ChangeResult.save(room.edit().locked(true).build(), true);
		}, Durability.DURABLE);

		assertThat(namesSeen).containsExactly("Room ABC234", "Second room");
		Room stored = this.repository.find("ABC234").orElseThrow();
		assertThat(stored.name()).isEqualTo("Second room");
		assertThat(stored.locked()).isTrue();
	}

	@Test
	@ExpectedErrorLogs(value = "dev.roomkeeper.store.redis.RedisRoomRepository",
			because = "a stored value that is not a room is skipped (store-room-unreadable)")
	void findAllWhenAStoredValueIsNotARoomThenItIsSkipped() {
		this.repository.create(TestRooms.room("GOOD22", NOW));
		redis().opsForHash().put(this.prefix + "room:JUNK22", "room", "{\"code\": no json");
		redis().opsForHash().put(this.prefix + "room:JUNK22", "rev", "x");
		redis().opsForZSet().add(this.prefix + "rooms", "JUNK22", 0);

		assertThat(this.repository.findAll()).extracting(Room::code).containsExactly("GOOD22");
		assertThat(this.repository.find("JUNK22")).isEmpty();
	}

	@Test
	void openWhenRedisIsUnreachableThenStartupFailsNamingTheSetting() throws Exception {
		int port;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		LettuceConnectionFactory unreachable = TestRedis.connectionFactory("redis://127.0.0.1:" + port);
		try {
			assertThatThrownBy(() -> new RedisRoomRepository(unreachable, this.prefix, this.jsonMapper, this.eventBus))
				.isInstanceOf(StoreStartupException.class)
				.hasMessageContaining("spring.data.redis.url")
				.hasMessageContaining("REDIS_URL");
		}
		finally {
			unreachable.destroy();
		}
	}

	@Test
	void totalsWhenTwoInstancesChangeTheSameRoomsConcurrentlyThenBothReadTheSameExactTotals() throws Exception {
		RedisRoomRepository other = otherInstance();
		List<String> codes = List.of("AAA", "BBB", "CCC");
		for (String code : codes) {
			this.repository.create(TestRooms.room(code, NOW));
		}
		int threadsPerInstance = 4;
		ExecutorService executor = Executors.newFixedThreadPool(2 * threadsPerInstance);
		try {
			List<Future<?>> futures = new ArrayList<>();
			int thread = 0;
			for (RoomRepository instance : List.of(this.repository, other)) {
				for (int t = 0; t < threadsPerInstance; t++) {
					String member = "m" + thread++;
					futures.add(executor.submit(() -> joinAndLeave(instance, codes, member, 60)));
				}
			}
			for (Future<?> future : futures) {
				future.get(2, TimeUnit.MINUTES);
			}
		}
		finally {
			executor.shutdownNow();
		}
		other.update("CCC", (room) -> ChangeResult.delete(true), Durability.DURABLE);

		assertTotalsMatchAWalk();
		assertThat(other.totals()).isEqualTo(activity().totals());
		assertThat(activity().totals().rooms()).isEqualTo(2);
	}

	/** Joins 60 members to the rooms in turn, and removes every third one again. */
	private static void joinAndLeave(RoomRepository instance, List<String> codes, String member, int joins) {
		for (int i = 0; i < joins; i++) {
			String code = codes.get(i % codes.size());
			String id = member + "-" + i;
			instance.update(code, (room) -> ChangeResult.save(room.withAddedMember(connected(id, NOW)), true),
					Durability.DEFERRED);
			if (i % 3 == 0) {
				instance.update(code, (room) -> ChangeResult.save(room.withoutMember(id), true), Durability.DEFERRED);
			}
		}
	}

	@Test
	void totalsAreKeptInRedisAndSurviveTheInstance() {
		this.repository.create(withMembers(TestRooms.room("AAA", NOW), connected("a1", NOW), connected("a2", NOW)));

		assertThat(redis().opsForHash().get(this.prefix + "rooms:census", "members")).isEqualTo("2");
		closeRepository(this.repository);
		this.repository = createRepositoryOnSamePrefix();
		assertTotals(1, 2);
	}

	@Test
	void totalsWhenTheCensusIsMissingThenTheStoreCountsItOnceWhenItOpens() {
		for (int i = 0; i < 450; i++) {
			this.repository.create(withMembers(TestRooms.room(String.format("R%04d", i), NOW), connected("a", NOW),
					connected("b", NOW)));
		}
		redis().delete(this.prefix + "rooms:census");

		RedisRoomRepository other = otherInstance();

		assertThat(redis().opsForHash().entries(this.prefix + "rooms:census")).containsEntry("members", "900")
			.containsEntry("complete", "1")
			.doesNotContainKey("through");
		assertThat(other.totals()).isEqualTo(new Totals(450, 900));
		assertTotals(450, 900);
	}

	@Test
	void totalsWhenRoomsChangeWhileTheCensusIsCountedThenEveryMemberIsCountedOnce() {
		RedisRoomRepository store = (RedisRoomRepository) this.repository;
		for (int i = 0; i < 450; i++) {
			store.create(withMembers(TestRooms.room(String.format("R%04d", i), NOW), connected("a", NOW)));
		}
		redis().delete(this.prefix + "rooms:census");

		assertThat(store.countCensusStep()).isFalse();
		assertThat(redis().opsForHash().get(this.prefix + "rooms:census", "through")).isEqualTo("R0199");
		for (String code : List.of("R0010", "R0300")) {
			store.update(code, (room) -> ChangeResult.save(room.withAddedMember(connected("b", NOW)), true),
					Durability.DURABLE);
		}
		for (String code : List.of("R0020", "R0310")) {
			store.update(code, (room) -> ChangeResult.delete(true), Durability.DURABLE);
		}
		store.create(withMembers(TestRooms.room("R0000A", NOW), connected("a", NOW), connected("b", NOW)));
		store.create(withMembers(TestRooms.room("R0400A", NOW), connected("a", NOW), connected("b", NOW)));
		store.countCensus();

		assertTotals(450, 454);
		assertTotalsMatchAWalk();
	}

	private RedisRoomRepository createRepositoryOnSamePrefix() {
		return new RedisRoomRepository(testRedis.connectionFactory(), this.prefix, this.jsonMapper, this.eventBus);
	}

	private void increment(RoomRepository instance, String code) {
		instance.update(code, (room) -> {
			long next = room.state().get("counter").asLong() + 1;
			return ChangeResult.save(room.edit().state(TestRooms.counter(next)).build(), next);
		}, Durability.DURABLE);
	}

}
