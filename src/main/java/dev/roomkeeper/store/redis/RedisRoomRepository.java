package dev.roomkeeper.store.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.dao.DataAccessException;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.backoff.ExponentialBackOff;

import dev.roomkeeper.room.ChangeResult;
import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.HistoryEvent;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomActivity;
import dev.roomkeeper.room.RoomChange;
import dev.roomkeeper.room.RoomHistory;
import dev.roomkeeper.room.RoomLeases;
import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.room.StoreStartupException;
import dev.roomkeeper.room.StoreUnavailableException;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.system.LogLine;

/**
 * Keeps rooms in Redis, shared by every instance that uses the same Redis and
 * {@code rooms.store.redis.key-prefix} (key layout: {@link RedisKeys}).
 * <p>
 * <b>Atomicity across instances.</b> {@link #update} reads the room with its revision,
 * applies the change, and writes the result with a Lua script that compares the revision
 * first (compare-and-set); if another instance wrote the room meanwhile, the script
 * answers the current room and the change runs again on it. The revision is random per
 * write, so a room deleted and created again under the same code never matches a stale
 * one. Within one instance, a lock per room queues the threads, so conflicts only happen
 * between instances. An exception thrown by the change is rethrown without a write: the
 * change saw a consistent room as it was when it was read.
 * <p>
 * <b>Events.</b> The same script publishes the change's events on the events channel, so
 * they leave in seq order for every instance; {@link #update} returns once this
 * instance's listeners have them ({@link RedisRoomEvents}).
 * <p>
 * <b>History.</b> A room's recent events are a capped list of their own (not part of the
 * room's JSON, which would grow with every broadcast): the write script appends the
 * change's events in the same atomic step, and trims the list to the history size once it
 * is an eighth longer (reads take its last entries). A room that had events but whose
 * list is gone (Redis lost the key) gets a new epoch with its next event.
 * <p>
 * <b>Messages.</b> A change that moves only the room's activity (a message: its seq, its
 * last activity, the sender's last sighting) is written by a lean script of its own
 * ({@code write-activity.lua}) that stores just those fields beside the room's JSON and
 * keeps the revision, so that messages neither rewrite the room nor conflict across
 * instances on anything but the seq. Messages written in the background
 * ({@link #updateInBackground}) go through {@link MessageWriteBatches}: one call under
 * way at a time, the messages of other rooms that come in meanwhile going together in the
 * next ({@code write-activities.lua}), their events in one channel message.
 * <p>
 * <b>Totals.</b> The members of all rooms are a counter in Redis
 * ({@link RedisKeys#census()}) that the write script moves by the change's difference in
 * the same atomic step, so every instance reads the same exact figure without reading a
 * room; the rooms are the size of the code index. A store written before the census
 * existed (or whose census key was deleted) is counted once, a page per atomic step, when
 * the repository opens.
 * <p>
 * <b>Durability.</b> Every durability writes at once: {@link #update} returns when Redis
 * has acknowledged the write. What Redis keeps across its own crash is its persistence
 * configuration ({@code appendonly yes}).
 * <p>
 * <b>Failure.</b> A Redis error or an unreachable Redis is answered with
 * {@link StoreUnavailableException}; the Redis client reconnects by itself.
 */
public class RedisRoomRepository implements RoomRepository, RoomActivity, RoomLeases, SmartLifecycle, AutoCloseable {

	private static final Log log = LogFactory.getLog(RedisRoomRepository.class);

	/** How long an update waits for its events to come back through the channel. */
	private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(5);

	/** Rooms read per pipelined round trip by {@link #findAll}. */
	private static final int READ_BATCH = 500;

	/**
	 * How long a change that keeps losing to other instances' writes of the same room is
	 * computed again (from its start) before the caller is told the room is changed too
	 * often. A time, not a count: under heavy contention one instance can lose a thousand
	 * times in a row in well under a second.
	 */
	private static final long CONFLICTS_GIVE_UP_NANOS = Duration.ofSeconds(5).toNanos();

	/**
	 * Stop listening late: after the web server and live connections have finished (they
	 * wait for their own events), before the Redis connection factory (phase 0) closes.
	 */
	private static final int LIFECYCLE_PHASE = 100;

	private static final String NEW = "0";

	private static final RedisScript<List> WRITE_ROOM = LuaScripts.load(List.class, "write-common.lua",
			"write-room.lua");

	private static final RedisScript<List> WRITE_ACTIVITY = LuaScripts.load(List.class, "write-common.lua",
			"write-message.lua", "write-activity.lua");

	private static final RedisScript<List> WRITE_ACTIVITIES = LuaScripts.load(List.class, "write-common.lua",
			"write-message.lua", "write-activities.lua");

	private static final RedisScript<List> READ_HISTORY = script("read-history.lua");

	private static final RedisScript<List> READ_CENSUS = script("census-read.lua");

	private static final RedisScript<Long> COUNT_CENSUS = script("census-count.lua", Long.class);

	private static final RedisScript<List> MOST_RECENT = script("most-recent.lua");

	/**
	 * Rooms counted per atomic step of a census count: each room's JSON is decoded in
	 * Redis, so a step stays short for the other clients.
	 */
	private static final int CENSUS_PAGE = 200;

	/** The write script's answer when the history list was lost. */
	private static final Long HISTORY_LOST = 2L;

	/** The write script's answer when only activity happened since the room was read. */
	private static final Long SEQ_MOVED = 3L;

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final JsonMapper jsonMapper;

	private final RedisRoomEvents events;

	private final RoomLocks locks = new RoomLocks();

	private final Timer writeTimer;

	private final int historySize;

	/**
	 * The room as this instance last wrote it, by code: a guess of the current room,
	 * dropped when the room is deleted here or closed anywhere.
	 */
	private final ConcurrentHashMap<String, Stored> lastWritten = new ConcurrentHashMap<>();

	private final ExecutorService subscriber;

	/**
	 * Computes again, and writes, the messages sent in the background that Redis turned
	 * down (see {@link #updateInBackground}).
	 */
	private final ExecutorService retries = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "roomkeeper-redis-retry");
		thread.setDaemon(true);
		return thread;
	});

	private final RedisMessageListenerContainer listenerContainer;

	/** Sends the messages written in the background, several rooms' in one call. */
	private final MessageWriteBatches messageWrites;

	/** See {@link #asyncConnection()}; null until the first background message. */
	private volatile Boolean asyncConnection;

	/**
	 * Opens the store: checks that Redis answers (or stops start-up with a message that
	 * names the setting), then subscribes to the events channel.
	 */
	public RedisRoomRepository(RedisConnectionFactory connectionFactory, String keyPrefix, JsonMapper jsonMapper,
			RoomEventBus eventBus) {
		this(connectionFactory, keyPrefix, jsonMapper, eventBus, Metrics.globalRegistry);
	}

	/**
	 * Opens the store and records the time of every write script as the timer
	 * {@code roomkeeper.store.write} (tag {@code store=redis}) in the given registry.
	 */
	public RedisRoomRepository(RedisConnectionFactory connectionFactory, String keyPrefix, JsonMapper jsonMapper,
			RoomEventBus eventBus, MeterRegistry meterRegistry) {
		this(connectionFactory, keyPrefix, jsonMapper, eventBus, meterRegistry, RoomHistory.DEFAULT_SIZE);
	}

	/**
	 * A store whose rooms keep their last {@code historySize} events (0: none) in a
	 * capped list per room, appended by the same script that writes the change.
	 */
	public RedisRoomRepository(RedisConnectionFactory connectionFactory, String keyPrefix, JsonMapper jsonMapper,
			RoomEventBus eventBus, MeterRegistry meterRegistry, int historySize) {
		this(connectionFactory, keyPrefix, jsonMapper, eventBus, meterRegistry, historySize, Duration.ZERO);
	}

	/**
	 * A store whose messages written in the background wait up to {@code messageDelay}
	 * for other rooms' messages to go to Redis in the same call
	 * ({@code rooms.store.redis.message-delay}; zero: only those that come in while a
	 * call is under way).
	 */
	public RedisRoomRepository(RedisConnectionFactory connectionFactory, String keyPrefix, JsonMapper jsonMapper,
			RoomEventBus eventBus, MeterRegistry meterRegistry, int historySize, Duration messageDelay) {
		this.historySize = historySize;
		this.writeTimer = Timer.builder(RoomRepository.WRITE_TIMER)
			.description("Time of one write: compare-and-set of the room, its indexes and its events (a background "
					+ "message's wait for its call included)")
			.tag("store", "redis")
			.register(meterRegistry);
		this.redis = new StringRedisTemplate(connectionFactory);
		this.keys = new RedisKeys(keyPrefix);
		this.jsonMapper = jsonMapper;
		this.events = new RedisRoomEvents(eventBus, DELIVERY_TIMEOUT, new RedisRoomEvents.RoomNews() {

			@Override
			public void closed(String room) {
				RedisRoomRepository.this.lastWritten.remove(room);
			}

			@Override
			public void writtenElsewhere(String room, long seq) {
				catchUp(room, seq);
			}

		});
		this.messageWrites = new MessageWriteBatches(List.of(this.keys.events(), Integer.toString(historySize)),
				this::runWriteActivities, messageDelay);
		checkReachable();
		this.subscriber = Executors.newSingleThreadExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "roomkeeper-redis-subscriber");
			thread.setDaemon(true);
			return thread;
		});
		this.listenerContainer = listenerContainer(connectionFactory);
		countCensusIfMissing();
		log.info(LogLine.of("store-loaded").with("store", "redis").with("keyPrefix", keyPrefix).with("rooms", count()));
	}

	private static RedisScript<List> script(String name) {
		return script(name, List.class);
	}

	private static <T> RedisScript<T> script(String name, Class<T> resultType) {
		return LuaScripts.load(name, resultType);
	}

	private void checkReachable() {
		try {
			ping();
		}
		catch (StoreUnavailableException ex) {
			throw new StoreStartupException("Cannot reach Redis (spring.data.redis.url, or the REDIS_URL environment "
					+ "variable): " + rootMessage(ex), ex);
		}
	}

	private RedisMessageListenerContainer listenerContainer(RedisConnectionFactory connectionFactory) {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(connectionFactory);
		// Listeners get the messages on the thread that reads them, in channel order.
		// Room event listeners never block (the local stores call them with the room
		// held); a hand-off to another thread per message cost more than the delivery.
		// Subscribing, and subscribing again after a failure, has a thread of its own.
		container.setTaskExecutor(new SyncTaskExecutor());
		container.setSubscriptionExecutor(this.subscriber);
		ExponentialBackOff backOff = new ExponentialBackOff(100, 2);
		backOff.setMaxInterval(2000);
		container.setRecoveryBackoff(backOff);
		container.addMessageListener(this.events, new ChannelTopic(this.keys.events()));
		container.afterPropertiesSet();
		container.start();
		return container;
	}

	@Override
	public boolean create(Room room) {
		String json = this.jsonMapper.writeValueAsString(withoutHistoryEvents(room));
		String revision = newRevision();
		List<?> answer = redis(() -> write(room.code(), null, revision, "save", room, json, room.members().size(),
				RedisRoomEvents.Outgoing.NONE, false));
		if (!committed(answer)) {
			return false;
		}
		this.lastWritten.put(room.code(), new Stored(revision, room, true));
		return true;
	}

	@Override
	public Optional<Room> find(String code) {
		return Optional.ofNullable(read(code)).map(Stored::room);
	}

	/** The room with its history list, read in one script. */
	@Override
	public Optional<Room> findWithHistory(String code) {
		List<?> answer = redis(() -> this.redis.execute(READ_HISTORY,
				List.of(this.keys.room(code), this.keys.history(code)), Integer.toString(this.historySize)));
		if (answer == null || answer.isEmpty()) {
			return Optional.empty();
		}
		int fields = ((Long) answer.get(0)).intValue();
		Room room = parse(code, hash(answer, 1, fields));
		if (room == null) {
			return Optional.empty();
		}
		List<HistoryEvent> events = new ArrayList<>(answer.size() - 1 - fields);
		for (int i = 1 + fields; i < answer.size(); i++) {
			String entry = (String) answer.get(i);
			int space = entry.indexOf(' ');
			events.add(new HistoryEvent(Long.parseLong(entry.substring(0, space)), entry.substring(space + 1)));
		}
		return Optional.of(room.withHistory(new RoomHistory(room.epoch(), events)));
	}

	@Override
	public <R> Optional<R> update(String code, RoomChange<R> change, Durability durability) {
		Attempt<R> done;
		try (RoomLocks.Held held = this.locks.lock(code)) {
			done = apply(code, change, false);
		}
		done.sent().awaitDelivery();
		return done.result();
	}

	/**
	 * Sends a message's write (an activity write) without waiting for Redis to answer:
	 * the room stays locked on this instance until it does, so that its next change is
	 * computed from this one. A write that Redis turns down (another instance wrote the
	 * room meanwhile, or Redis lost the script) is computed again and written on a thread
	 * of its own, as {@link #update} would; a write whose answer is lost fails with
	 * {@code store-unavailable}, as {@code update} does. Any other change is applied at
	 * once.
	 */
	@Override
	public <R> CompletionStage<Optional<R>> updateInBackground(String code, RoomChange<R> change,
			Durability durability) {
		RoomLocks.Held held = this.locks.lock(code);
		Attempt<R> first;
		try {
			first = apply(code, change, true);
		}
		catch (RuntimeException ex) {
			held.close();
			return CompletableFuture.failedFuture(ex);
		}
		if (first.answer() == null) {
			held.close();
			return CompletableFuture.completedFuture(first.result());
		}
		CompletableFuture<Optional<R>> done = new CompletableFuture<>();
		first.answer().whenComplete((answer, failure) -> {
			if (failure == null && committed(answer)) {
				first.remember(this, code);
				held.close();
				done.complete(first.result());
				return;
			}
			first.sent().cancel();
			if (failure == null && !answer.isEmpty() && !historyLost(answer)) {
				// Refused: the answer tells how the room is now, which saves a read
				// (another instance's messages moved only its seq).
				Stored now = afterRefusal(code, first.previous(), answer);
				if (now != null) {
					this.lastWritten.put(code, now);
				}
				else {
					this.lastWritten.remove(code);
				}
			}
			else {
				this.lastWritten.remove(code);
			}
			if (failure != null) {
				// The script may have run (the answer was lost): computing the message
				// again could publish it twice. The sender is told, as by update.
				held.close();
				done.completeExceptionally((failure instanceof CompletionException) ? failure.getCause() : failure);
				return;
			}
			try {
				this.retries.execute(() -> {
					try {
						Attempt<R> again = apply(code, change, false);
						held.close();
						done.complete(again.result());
					}
					catch (RuntimeException ex) {
						held.close();
						done.completeExceptionally(ex);
					}
				});
			}
			catch (RejectedExecutionException ex) {
				held.close();
				done.completeExceptionally(new StoreUnavailableException("The room store (Redis) is closed", ex));
			}
		});
		return done;
	}

	/**
	 * Computes a change from the room as this instance last wrote it (else as read) and
	 * writes it, computing it again while Redis turns the write down. The room is locked.
	 * @param inBackground whether an activity write may be sent without waiting for the
	 * answer: the attempt then holds it, and the caller finishes the change
	 */
	private <R> Attempt<R> apply(String code, RoomChange<R> change, boolean inBackground) {
		Stored current = this.lastWritten.get(code);
		// Whether current was read just now, so that the change's verdict on it
		// stands.
		boolean fresh = current == null;
		if (fresh) {
			current = read(code);
		}
		long started = System.nanoTime();
		while (true) {
			if (current == null) {
				this.lastWritten.remove(code);
				return Attempt.notFound();
			}
			ChangeResult<R> outcome;
			try {
				outcome = change.apply(current.room());
			}
			catch (RuntimeException ex) {
				if (fresh) {
					throw ex;
				}
				current = read(code);
				fresh = true;
				continue;
			}
			if (!outcome.changed() && outcome.events().isEmpty()) {
				if (fresh) {
					return Attempt.done(outcome, RedisRoomEvents.Outgoing.NONE);
				}
				current = read(code);
				fresh = true;
				continue;
			}
			List<String> activity = (outcome.room() != null) ? ActivityFields.between(current.room(), outcome.room())
					: null;
			if (activity == null && !current.exact()) {
				// A save writes the whole room: it needs the activity of other
				// instances.
				current = read(code);
				fresh = true;
				continue;
			}
			RedisRoomEvents.Outgoing outgoing = this.events.prepare(outcome.events());
			String revision = (activity != null) ? current.rev() : newRevision();
			if (inBackground && activity != null) {
				return Attempt.sent(outcome, outgoing, current, revision,
						writeActivityInBackground(code, current, outcome.room(), activity, outgoing));
			}
			List<?> answer = writeOrCancel(code, current, revision, outcome, activity, outgoing, true);
			if (historyLost(answer)) {
				if (!current.exact()) {
					current = read(code);
					fresh = true;
					continue;
				}
				outcome = withNewEpoch(outcome, current.room());
				outgoing = this.events.prepare(outcome.events());
				activity = null;
				revision = newRevision();
				answer = writeOrCancel(code, current, revision, outcome, null, outgoing, false);
			}
			if (committed(answer)) {
				remember(code, revision, outcome, current, activity != null);
				return Attempt.done(outcome, outgoing);
			}
			if (System.nanoTime() - started > CONFLICTS_GIVE_UP_NANOS) {
				throw new StoreUnavailableException("Room " + code + " is changed too often to be updated", null);
			}
			current = afterRefusal(code, current, answer);
			fresh = !SEQ_MOVED.equals(answer.get(0));
		}
	}

	/**
	 * The room as the write script's refusal tells it: {@code previous} at the current
	 * seq when only activity happened meanwhile (another instance's messages), else the
	 * room's hash that came with the answer ({@code null}: the room is gone).
	 */
	private Stored afterRefusal(String code, Stored previous, List<?> answer) {
		if (SEQ_MOVED.equals(answer.get(0))) {
			return previous.atSeq(Long.parseLong((String) answer.get(1)));
		}
		return (answer.size() < 2) ? null : stored(code, hash(answer, 1, answer.size() - 1));
	}

	/**
	 * One attempt at a change: done (its events on their way), not found, or an activity
	 * write sent whose {@code answer} is awaited.
	 */
	private record Attempt<R>(ChangeResult<R> outcome, RedisRoomEvents.Outgoing sent, Stored previous, String revision,
			CompletableFuture<List<?>> answer) {

		static <R> Attempt<R> notFound() {
			return new Attempt<>(null, RedisRoomEvents.Outgoing.NONE, null, null, null);
		}

		static <R> Attempt<R> done(ChangeResult<R> outcome, RedisRoomEvents.Outgoing sent) {
			return new Attempt<>(outcome, sent, null, null, null);
		}

		static <R> Attempt<R> sent(ChangeResult<R> outcome, RedisRoomEvents.Outgoing sent, Stored previous,
				String revision, CompletableFuture<List<?>> answer) {
			return new Attempt<>(outcome, sent, previous, revision, answer);
		}

		Optional<R> result() {
			return (this.outcome != null) ? Optional.ofNullable(this.outcome.result()) : Optional.empty();
		}

		/** Keeps the room of a sent activity write once Redis took it. */
		void remember(RedisRoomRepository repository, String code) {
			repository.remember(code, this.revision, this.outcome, this.previous, true);
		}

	}

	/**
	 * Moves the copy of a room that another instance wrote to that write's seq, so that
	 * this instance's next message is computed from the current seq instead of being
	 * turned down by the write script and sent again. When the other instance changed
	 * more than the room's activity, its revision tells the script, as before.
	 */
	private void catchUp(String code, long seq) {
		this.lastWritten.computeIfPresent(code,
				(key, stored) -> (stored.room().seq() < seq) ? stored.atSeq(seq) : stored);
	}

	/**
	 * Keeps the room this instance wrote as the starting point of its next change, which
	 * saves a read when no other instance wrote the room meanwhile (the compare-and-set
	 * tells).
	 */
	private void remember(String code, String revision, ChangeResult<?> outcome, Stored previous, boolean activity) {
		if (outcome.delete()) {
			this.lastWritten.remove(code);
		}
		else if (outcome.room() != null) {
			this.lastWritten.put(code, new Stored(revision, outcome.room(), !activity || previous.exact()));
		}
		else {
			this.lastWritten.put(code, previous);
		}
	}

	/**
	 * The history list of a room that had events is gone (Redis lost the key, or the room
	 * was imported or stored while history was off): the events it held cannot be vouched
	 * for, so the room gets a new epoch in the same write that starts the list again.
	 */
	private static <R> ChangeResult<R> withNewEpoch(ChangeResult<R> outcome, Room previous) {
		Room room = (outcome.room() != null) ? outcome.room() : previous;
		return new ChangeResult<>(room.withHistory(room.history().withNewEpoch()), false, outcome.events(),
				outcome.result());
	}

	private static boolean historyLost(List<?> answer) {
		return answer != null && !answer.isEmpty() && HISTORY_LOST.equals(answer.get(0));
	}

	private static Room withoutHistoryEvents(Room room) {
		return room.history().events().isEmpty() ? room : room.withHistory(room.history().withoutEvents());
	}

	/**
	 * Writes the outcome of a change computed from {@code previous}: only its activity
	 * fields when {@code activity} is not null, else the whole room (or its deletion, or
	 * only the events).
	 */
	private List<?> writeOrCancel(String code, Stored previous, String revision, ChangeResult<?> outcome,
			List<String> activity, RedisRoomEvents.Outgoing outgoing, boolean checkHistory) {
		Room before = previous.room();
		boolean historyExpected = checkHistory && before.seq() > 0;
		try {
			List<?> answer;
			// The revision and seq matched means the stored room is previous: the
			// difference is exact.
			if (outcome.delete()) {
				answer = redis(() -> write(code, previous, revision, "delete", null, "", -before.members().size(),
						outgoing, false));
			}
			else if (activity != null) {
				answer = redis(
						() -> writeActivity(code, previous, outcome.room(), activity, outgoing, historyExpected));
			}
			else if (outcome.room() != null) {
				String json = this.jsonMapper.writeValueAsString(withoutHistoryEvents(outcome.room()));
				answer = redis(() -> write(code, previous, revision, "save", outcome.room(), json,
						outcome.room().members().size() - before.members().size(), outgoing, historyExpected));
			}
			else {
				answer = redis(
						() -> write(code, previous, revision, "publish", null, "", 0, outgoing, historyExpected));
			}
			if (!committed(answer)) {
				outgoing.cancel();
			}
			return answer;
		}
		catch (RuntimeException ex) {
			outgoing.cancel();
			throw ex;
		}
	}

	/**
	 * Runs the write script (write-room.lua).
	 * @param previous the room the change was computed from, with its revision
	 * ({@code null} when creating)
	 * @param room the room to save ({@code null} when deleting or only publishing)
	 * @param memberDelta the members the room gains (negative: loses) with the write
	 */
	private List<?> write(String code, Stored previous, String revision, String op, Room room, String json,
			int memberDelta, RedisRoomEvents.Outgoing outgoing, boolean historyExpected) {
		List<String> keys = new ArrayList<>();
		List<String> args = roomArguments(code, previous, revision, op, room, json, memberDelta, outgoing,
				historyExpected, keys);
		return timed(() -> this.redis.execute(WRITE_ROOM, keys, args.toArray()));
	}

	/**
	 * Runs the message script (write-activity.lua): only the room's {@code activity}
	 * fields, the index entries they move and the events.
	 * @param previous the room the message was computed from, with its revision
	 * @param room the room with the message
	 */
	private List<?> writeActivity(String code, Stored previous, Room room, List<String> activity,
			RedisRoomEvents.Outgoing outgoing, boolean historyExpected) {
		List<String> keys = new ArrayList<>();
		List<String> args = new ArrayList<>();
		args.add(this.keys.events());
		args.add(Integer.toString(this.historySize));
		args.addAll(activityArguments(code, previous, room, activity, outgoing, historyExpected, keys));
		return timed(() -> this.redis.execute(WRITE_ACTIVITY, keys, args.toArray()));
	}

	private List<?> timed(Supplier<List<?>> write) {
		long started = System.nanoTime();
		try {
			return write.get();
		}
		finally {
			this.writeTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
		}
	}

	/**
	 * Sends a message's write (see {@link #writeActivity}) with the next call of
	 * {@link #messageWrites} and returns at once; the answer completes the future on the
	 * connection's thread. Without a Lettuce connection the write is made at once.
	 */
	private CompletableFuture<List<?>> writeActivityInBackground(String code, Stored previous, Room room,
			List<String> activity, RedisRoomEvents.Outgoing outgoing) {
		boolean historyExpected = previous.room().seq() > 0;
		try {
			if (!asyncConnection()) {
				return CompletableFuture.completedFuture(
						redis(() -> writeActivity(code, previous, room, activity, outgoing, historyExpected)));
			}
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		List<String> keys = new ArrayList<>();
		List<String> args = activityArguments(code, previous, room, activity, outgoing, historyExpected, keys);
		long started = System.nanoTime();
		return this.messageWrites.send(keys, args).handle((answer, failure) -> {
			this.writeTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
			if (failure != null) {
				// The call's own failure: MessageWriteBatches unwrapped it.
				throw new StoreUnavailableException("The room store (Redis) is unavailable; try again shortly",
						failure);
			}
			return answer;
		});
	}

	/**
	 * Runs write-activities.lua on the shared connection: by its digest, and by its text
	 * when Redis does not know it (a new or restarted Redis), which loads it.
	 */
	private CompletionStage<List<Object>> runWriteActivities(byte[][] keys, byte[][] args) {
		return asyncCommands().<List<Object>>evalsha(WRITE_ACTIVITIES.getSha1(), ScriptOutputType.MULTI, keys, args)
			.toCompletableFuture()
			.exceptionallyCompose((failure) -> {
				Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
				if (!(cause instanceof RedisNoScriptException)) {
					return CompletableFuture.failedFuture(cause);
				}
				return asyncCommands()
					.<List<Object>>eval(WRITE_ACTIVITIES.getScriptAsString(), ScriptOutputType.MULTI, keys, args)
					.toCompletableFuture();
			});
	}

	/**
	 * Whether the connection is Lettuce's, which sends a script without waiting for its
	 * answer: looked at on the first background message, not on every one.
	 */
	private boolean asyncConnection() {
		Boolean known = this.asyncConnection;
		if (known == null) {
			try (RedisConnection connection = this.redis.getRequiredConnectionFactory().getConnection()) {
				known = connection.getNativeConnection() instanceof RedisAsyncCommands<?, ?>;
			}
			this.asyncConnection = known;
		}
		return known;
	}

	@SuppressWarnings("unchecked")
	private RedisAsyncCommands<byte[], byte[]> asyncCommands() {
		try (RedisConnection connection = this.redis.getRequiredConnectionFactory().getConnection()) {
			return (RedisAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
		}
	}

	/**
	 * The arguments of write-room.lua; its keys are added to {@code keys}.
	 */
	private List<String> roomArguments(String code, Stored previous, String revision, String op, Room room, String json,
			int memberDelta, RedisRoomEvents.Outgoing outgoing, boolean historyExpected, List<String> keys) {
		List<RedisKeys.Index> indexes = this.keys.indexes();
		keys.add(this.keys.room(code));
		keys.add(this.keys.census());
		List<String> args = new ArrayList<>(11 + indexes.size() + 2 * outgoing.messages().size());
		args.add((previous != null) ? previous.rev() : NEW);
		args.add(op);
		args.add(revision);
		args.add(code);
		args.add(json);
		args.add(this.keys.events());
		args.add(Integer.toString(this.historySize));
		args.add(Integer.toString(outgoing.messages().size()));
		args.add(historyExpected ? "1" : "0");
		args.add(Integer.toString(memberDelta));
		args.add((previous != null) ? Long.toString(previous.room().seq()) : "0");
		Room before = (previous != null) ? previous.room() : null;
		for (RedisKeys.Index index : indexes) {
			keys.add(index.key());
			args.add((room != null) ? index.change(before, room) : "=");
		}
		keys.add(this.keys.history(code));
		args.addAll(outgoing.messages());
		args.addAll(outgoing.historyEntries());
		return args;
	}

	/**
	 * A message's arguments for write-message.lua (the script's channel and history size
	 * not included); its keys (the room, its history, the indexes whose entry moves) are
	 * added to {@code keys}.
	 */
	private List<String> activityArguments(String code, Stored previous, Room room, List<String> activity,
			RedisRoomEvents.Outgoing outgoing, boolean historyExpected, List<String> keys) {
		keys.add(this.keys.room(code));
		keys.add(this.keys.history(code));
		List<String> scores = new ArrayList<>(this.keys.indexes().size());
		for (RedisKeys.Index index : this.keys.indexes()) {
			String change = index.change(previous.room(), room);
			if (!"=".equals(change)) {
				keys.add(index.key());
				scores.add(change);
			}
		}
		List<String> args = new ArrayList<>(7 + scores.size() + 2 * outgoing.messages().size() + activity.size());
		args.add(Integer.toString(scores.size()));
		args.add(previous.rev());
		args.add(Long.toString(previous.room().seq()));
		args.add(historyExpected ? "1" : "0");
		args.add(code);
		args.add(Integer.toString(outgoing.messages().size()));
		args.add(Integer.toString(activity.size() / 2));
		args.addAll(scores);
		args.addAll(outgoing.messages());
		args.addAll(outgoing.historyEntries());
		args.addAll(activity);
		return args;
	}

	private static boolean committed(List<?> answer) {
		return answer != null && !answer.isEmpty() && Long.valueOf(1).equals(answer.get(0));
	}

	private static String newRevision() {
		return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
	}

	/** The room's hash read in one step, or null if the room does not exist. */
	private Stored read(String code) {
		return stored(code, strings(redis(() -> this.redis.opsForHash().entries(this.keys.room(code)))));
	}

	private Stored stored(String code, Map<String, String> hash) {
		Room room = parse(code, hash);
		return (room != null) ? new Stored(hash.get(ActivityFields.REV), room, true) : null;
	}

	/** The string fields and values of a hash as the template reads it. */
	private static Map<String, String> strings(Map<?, ?> hash) {
		Map<String, String> fields = new HashMap<>();
		if (hash != null) {
			hash.forEach((field, value) -> fields.put((String) field, (String) value));
		}
		return fields;
	}

	/**
	 * The {@code count} fields and values of a hash that a script answered, as a map
	 * ({@code answer} holds them from {@code from} on: field, value, field, ...).
	 */
	private static Map<String, String> hash(List<?> answer, int from, int count) {
		Map<String, String> fields = new HashMap<>();
		for (int i = from; i + 1 < from + count; i += 2) {
			fields.put((String) answer.get(i), (String) answer.get(i + 1));
		}
		return fields;
	}

	/**
	 * The room of a hash (its JSON with the activity fields applied), or null if there is
	 * no such room or it cannot be read (logged).
	 */
	private Room parse(String code, Map<String, String> hash) {
		String json = hash.get(ActivityFields.ROOM);
		if (json == null) {
			return null;
		}
		try {
			return ActivityFields.applyTo(this.jsonMapper.readValue(json, Room.class), hash);
		}
		catch (RuntimeException ex) {
			log.warn(LogLine.of("store-room-unreadable")
				.with("store", "redis")
				.with("key", this.keys.room(code))
				.with("error", ex.getClass().getSimpleName()));
			return null;
		}
	}

	@Override
	public List<Room> findAll() {
		return read(new ArrayList<>(redis(() -> this.redis.opsForZSet().range(this.keys.rooms(), 0, -1))));
	}

	/**
	 * Pages through the rooms in code order, with the code index ({@code ZRANGEBYLEX}).
	 */
	@Override
	public List<Room> findPage(String afterCode, int limit) {
		if (limit < 1) {
			throw new IllegalArgumentException("limit must be at least 1, was " + limit);
		}
		Range<String> range = (afterCode != null) ? Range.rightUnbounded(Range.Bound.exclusive(afterCode))
				: Range.unbounded();
		Set<String> codes = redis(
				() -> this.redis.opsForZSet().rangeByLex(this.keys.rooms(), range, Limit.limit().count(limit)));
		return (codes != null) ? read(new ArrayList<>(codes)) : List.of();
	}

	/**
	 * Reads rooms by code, a pipelined batch at a time; skips rooms gone or unreadable.
	 */
	private List<Room> read(List<String> codes) {
		List<Room> rooms = new ArrayList<>(codes.size());
		for (int from = 0; from < codes.size(); from += READ_BATCH) {
			List<String> batch = codes.subList(from, Math.min(codes.size(), from + READ_BATCH));
			List<Object> values = redis(() -> this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
				for (String code : batch) {
					connection.hashCommands().hGetAll(bytes(this.keys.room(code)));
				}
				return null;
			}));
			for (int i = 0; i < batch.size(); i++) {
				Room room = parse(batch.get(i), strings((Map<?, ?>) values.get(i)));
				if (room != null) {
					rooms.add(room);
				}
			}
		}
		return rooms;
	}

	/**
	 * Codes of rooms whose last activity is at or before {@code cutoff}, least recently
	 * active first (ties by code), at most {@code limit}.
	 */
	@Override
	public List<String> findInactiveSince(Instant cutoff, int limit) {
		return upTo(this.keys.inactive(), cutoff, limit);
	}

	/** Like {@link #findInactiveSince}, only rooms not warned in their idle period. */
	@Override
	public List<String> findUnwarnedInactiveSince(Instant cutoff, int limit) {
		return upTo(this.keys.unwarned(), cutoff, limit);
	}

	/**
	 * Codes of rooms with a disconnected member last seen at or before {@code cutoff}, by
	 * the earliest such sighting, at most {@code limit}.
	 */
	@Override
	public List<String> findWithMembersDisconnectedSince(Instant cutoff, int limit) {
		return upTo(this.keys.disconnected(), cutoff, limit);
	}

	/** Codes of rooms without a connected member, least recently active first. */
	@Override
	public List<String> findWithoutConnectedMembers(int limit) {
		return codes(redis(() -> this.redis.opsForZSet().range(this.keys.unconnected(), 0, limit - 1)));
	}

	private List<String> upTo(String index, Instant cutoff, int limit) {
		return codes(redis(() -> this.redis.opsForZSet()
			.rangeByScore(index, Double.NEGATIVE_INFINITY, RedisKeys.microsOf(cutoff), 0, limit)));
	}

	private static List<String> codes(Set<String> codes) {
		return (codes != null) ? List.copyOf(codes) : List.of();
	}

	@Override
	public int count() {
		Long count = redis(() -> this.redis.opsForZSet().zCard(this.keys.rooms()));
		return (count != null) ? count.intValue() : 0;
	}

	/**
	 * The size of the code index and the census of members, read in one script; counts
	 * the census first if it is missing.
	 */
	@Override
	public Totals totals() {
		while (true) {
			List<?> answer = redis(
					() -> this.redis.execute(READ_CENSUS, List.of(this.keys.rooms(), this.keys.census())));
			if ("1".equals(answer.get(2))) {
				return new Totals((Long) answer.get(0), Long.parseLong((String) answer.get(1)));
			}
			countCensus();
		}
	}

	/** Reads the rooms due in pages of {@link #READ_BATCH}, pipelined. */
	@Override
	public Totals totalsInactiveSince(Instant cutoff) {
		double max = RedisKeys.microsOf(cutoff);
		long rooms = 0;
		long members = 0;
		for (long offset = 0;; offset += READ_BATCH) {
			long from = offset;
			Set<String> codes = redis(() -> this.redis.opsForZSet()
				.rangeByScore(this.keys.inactive(), Double.NEGATIVE_INFINITY, max, from, READ_BATCH));
			if (codes == null || codes.isEmpty()) {
				break;
			}
			for (Room room : read(new ArrayList<>(codes))) {
				if (!room.lastActivityAt().isAfter(cutoff)) {
					rooms++;
					members += room.members().size();
				}
			}
			if (codes.size() < READ_BATCH) {
				break;
			}
		}
		return new Totals(rooms, members);
	}

	/** {@code ZCOUNT} of the activity index (scores are whole microseconds). */
	@Override
	public int countActiveAfter(Instant after) {
		Long count = redis(() -> this.redis.opsForZSet()
			.count(this.keys.inactive(), RedisKeys.microsOf(after) + 1, Double.POSITIVE_INFINITY));
		return (count != null) ? count.intValue() : 0;
	}

	/**
	 * Reads the page from the activity index and its rooms in one script (one round
	 * trip). Instants are compared in whole microseconds, as the index holds them.
	 */
	@Override
	public List<Room> findMostRecentlyActive(Instant after, Instant until, int offset, int limit) {
		if (limit < 1) {
			throw new IllegalArgumentException("limit must be at least 1, was " + limit);
		}
		if (offset < 0) {
			throw new IllegalArgumentException("offset must not be negative, was " + offset);
		}
		List<?> answer = redis(() -> this.redis.execute(MOST_RECENT, List.of(this.keys.inactive()),
				RedisKeys.micros(after), RedisKeys.micros(until), Integer.toString(offset), Integer.toString(limit),
				this.keys.roomPrefix()));
		if (answer == null || answer.isEmpty()) {
			return List.of();
		}
		List<Room> page = new ArrayList<>();
		for (int i = 0; i + 1 < answer.size();) {
			int fields = ((Long) answer.get(i + 1)).intValue();
			Room room = parse((String) answer.get(i), hash(answer, i + 2, fields));
			if (room != null) {
				page.add(room);
			}
			i += 2 + fields;
		}
		return page;
	}

	/**
	 * Counts the census if it is missing (a store written before it existed), logging how
	 * long it took.
	 */
	private void countCensusIfMissing() {
		List<?> answer = redis(() -> this.redis.execute(READ_CENSUS, List.of(this.keys.rooms(), this.keys.census())));
		if (!"1".equals(answer.get(2))) {
			long started = System.nanoTime();
			countCensus();
			log.info(LogLine.of("store-census-counted")
				.with("store", "redis")
				.with("rooms", count())
				.with("millis", (System.nanoTime() - started) / 1_000_000));
		}
	}

	/**
	 * Counts the census a page per atomic step until it covers every room; other
	 * instances may count at the same time (each step takes the next page).
	 */
	void countCensus() {
		while (!countCensusStep()) {
			// next page
		}
	}

	/**
	 * One step of the census count.
	 * @return whether the census now covers every room
	 */
	boolean countCensusStep() {
		Long done = redis(() -> this.redis.execute(COUNT_CENSUS, List.of(this.keys.census(), this.keys.rooms()),
				this.keys.roomPrefix(), Integer.toString(CENSUS_PAGE)));
		return Long.valueOf(1).equals(done);
	}

	/** Nothing to do: every change is written when {@link #update} returns. */
	@Override
	public void flush() {
	}

	private static final RedisScript<Long> ACQUIRE_LEASE = RedisScript.of("local v = redis.call('GET', KEYS[1]) "
			+ "if v == false or v == ARGV[1] then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end "
			+ "return 0", Long.class);

	private static final RedisScript<Long> RELEASE_LEASE = RedisScript
		.of("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", Long.class);

	/** A lease is a key {@code <prefix>lease:<name>} holding the holder, with a TTL. */
	@Override
	public boolean tryAcquire(String name, String holder, Duration ttl) {
		Long taken = redis(() -> this.redis.execute(ACQUIRE_LEASE, List.of(this.keys.prefix() + "lease:" + name),
				holder, Long.toString(ttl.toMillis())));
		return Long.valueOf(1).equals(taken);
	}

	@Override
	public void release(String name, String holder) {
		redis(() -> this.redis.execute(RELEASE_LEASE, List.of(this.keys.prefix() + "lease:" + name), holder));
	}

	@Override
	public String type() {
		return "redis";
	}

	/**
	 * Sends a {@code PING}.
	 * @return the round trip in nanoseconds
	 * @throws StoreUnavailableException if Redis does not answer
	 */
	public long ping() {
		long started = System.nanoTime();
		redis(() -> this.redis.execute((RedisCallback<String>) (connection) -> connection.ping()));
		return System.nanoTime() - started;
	}

	/** Whether this instance is subscribed to the events channel. */
	public boolean isListening() {
		return this.listenerContainer.isListening();
	}

	/** The prefix of every key and channel of this store. */
	public String keyPrefix() {
		return this.keys.prefix();
	}

	/** Listens to the events channel again after {@link #stop()}. */
	@Override
	public void start() {
		if (!this.listenerContainer.isRunning()) {
			this.listenerContainer.start();
		}
	}

	/** Stops listening to the events channel. */
	@Override
	public void stop() {
		this.listenerContainer.stop();
	}

	@Override
	public boolean isRunning() {
		return this.listenerContainer.isRunning();
	}

	@Override
	public int getPhase() {
		return LIFECYCLE_PHASE;
	}

	/** Stops listening to the events channel and releases its thread. */
	@Override
	public void close() {
		try {
			this.listenerContainer.destroy();
		}
		catch (Exception ex) {
			log.warn(LogLine.of("store-events-stop-failed").with("store", "redis").with("error", ex.getMessage()));
		}
		this.subscriber.shutdown();
		this.retries.shutdown();
		this.messageWrites.close();
	}

	private <T> T redis(Supplier<T> call) {
		try {
			return call.get();
		}
		catch (DataAccessException ex) {
			throw new StoreUnavailableException("The room store (Redis) is unavailable; try again shortly", ex);
		}
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getMessage();
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * A room as read, with the revision a write must find to replace it.
	 *
	 * @param exact whether the room is known as stored, activity included; after another
	 * instance's messages only its {@code seq} is known, which is enough for an activity
	 * write, not for a save
	 */
	private record Stored(String rev, Room room, boolean exact) {

		Stored atSeq(long seq) {
			return new Stored(this.rev, this.room.edit().seq(seq).build(), false);
		}

	}

}
