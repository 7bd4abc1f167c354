package dev.roomkeeper.store.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.roomkeeper.room.PresenceTracker;
import dev.roomkeeper.system.LogLine;

/**
 * Counts members' live connections across every instance, in Redis, and tells the room
 * when a member's first connection anywhere opens and its last one anywhere closes.
 * <p>
 * Keys (prefix {@code P}): {@code P presence:CODE} (hash: member id → open connections on
 * every instance), {@code P connections:INSTANCE} (hash: {@code "CODE member"} → open
 * connections on that instance), {@code P instance:INSTANCE} (the instance's heartbeat, a
 * string with a TTL) and {@code P instances} (set of instances that may hold
 * connections).
 * <p>
 * Each instance renews its heartbeat every third of its TTL and reaps the instances whose
 * heartbeat expired (crashed, or cut off from Redis): their connections stop counting, in
 * one script, so however many instances reap at once each connection is forgotten once,
 * and the members left without a connection are shown disconnected. The instance's own
 * counts, kept in memory, are the truth for its connections: when Redis was unreachable
 * during a change, or the instance was reaped while cut off, it counts them in again.
 * <p>
 * Two instances may see a member's count cross zero at nearly the same time (one closes
 * the last connection as another opens one); each tells the room what it saw and then
 * checks the total again, so the room always ends up showing the count's latest state.
 */
public class RedisPresence implements PresenceTracker, SmartLifecycle, AutoCloseable {

	private static final Log log = LogFactory.getLog(RedisPresence.class);

	private static final RedisScript<Long> OPEN = script("presence-open.lua", Long.class);

	private static final RedisScript<Long> CLOSE = script("presence-close.lua", Long.class);

	private static final RedisScript<Long> HEARTBEAT = script("presence-heartbeat.lua", Long.class);

	private static final RedisScript<List> REAP = script("presence-reap.lua", List.class);

	private static final RedisScript<List> RESYNC = script("presence-resync.lua", List.class);

	private static final int SETTLE_ATTEMPTS = 3;

	private static final int LIFECYCLE_PHASE = 200;

	private final StringRedisTemplate redis;

	private final String prefix;

	private final String instanceId = UUID.randomUUID().toString();

	private final Duration heartbeatTtl;

	private final Changes changes;

	/** This instance's open connections by {@code "CODE member"}: the truth for them. */
	private final Map<String, Integer> local = new ConcurrentHashMap<>();

	/**
	 * Opens and closes change {@link #local} and Redis under the read lock (any number at
	 * once); a resync copies {@link #local} to Redis under the write lock, so it never
	 * sees a change made here but not yet in Redis (which it would count twice).
	 */
	private final ReadWriteLock syncLock = new ReentrantReadWriteLock();

	private ScheduledExecutorService scheduler;

	private final Object calls = new Object();

	/**
	 * Calls of {@link #opened}/{@link #closed} in progress; guarded by {@link #calls}.
	 */
	private int inFlight;

	/** Set when the instance stops; guarded by {@link #calls}. */
	private boolean stopping;

	/** Whether Redis may not hold this instance's counts (a change failed there). */
	private volatile boolean unsynced;

	/**
	 * Counting for a new instance; {@link #start()} starts its heartbeat.
	 * @param heartbeatTtl how long after its last heartbeat an instance counts as gone
	 * @param changes told when a member's connections start or stop counting
	 */
	public RedisPresence(RedisConnectionFactory connectionFactory, String prefix, Duration heartbeatTtl,
			Changes changes) {
		this.redis = new StringRedisTemplate(connectionFactory);
		this.prefix = prefix;
		this.heartbeatTtl = heartbeatTtl;
		this.changes = changes;
	}

	/**
	 * The heartbeat TTL for {@code rooms.presence.stale-after}: half of it, at most 30 s,
	 * so a crashed instance's connections stop counting well within it.
	 */
	public static Duration heartbeatTtlFor(Duration staleAfter) {
		Duration half = staleAfter.dividedBy(2);
		Duration max = Duration.ofSeconds(30);
		Duration min = Duration.ofMillis(300);
		return (half.compareTo(max) > 0) ? max : ((half.compareTo(min) < 0) ? min : half);
	}

	/** Starts the heartbeat: renewed, and the dead reaped, every third of its TTL. */
	@Override
	public synchronized void start() {
		if (this.scheduler != null) {
			return;
		}
		synchronized (this.calls) {
			this.stopping = false;
		}
		this.scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "roomkeeper-redis-presence");
			thread.setDaemon(true);
			return thread;
		});
		long period = Math.max(50, this.heartbeatTtl.toMillis() / 3);
		this.scheduler.scheduleWithFixedDelay(this::tick, 0, period, TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized boolean isRunning() {
		return this.scheduler != null;
	}

	/**
	 * Stop after the live connections have closed (they count themselves out), before the
	 * store stops listening.
	 */
	@Override
	public int getPhase() {
		return LIFECYCLE_PHASE;
	}

	private static <T> RedisScript<T> script(String name, Class<T> resultType) {
		return LuaScripts.load(name, resultType);
	}

	/** A connection acting for a member opened on this instance. */
	@Override
	public void opened(String code, String memberId) {
		change(code, memberId, 1, (field) -> {
			this.local.merge(field, 1, Integer::sum);
			return call(() -> this.redis.execute(OPEN, List.of(presenceKey(code), connectionsKey(this.instanceId),
					instancesKey(), instanceKey(this.instanceId)), memberId, field, this.instanceId, ttl()));
		});
	}

	/** A connection acting for a member closed on this instance. */
	@Override
	public void closed(String code, String memberId) {
		change(code, memberId, 0, (field) -> {
			this.local.computeIfPresent(field, (key, count) -> (count > 1) ? count - 1 : null);
			return call(() -> this.redis.execute(CLOSE, List.of(presenceKey(code), connectionsKey(this.instanceId)),
					memberId, field));
		});
	}

	/**
	 * Counts a connection in or out: changes this instance's count and Redis's under the
	 * read lock (a resync takes the write lock, so it never sees one without the other),
	 * then settles the member's presence in its room when the member's total across
	 * instances reached {@code settleAt} (1: it came; 0: it went). Nothing while
	 * stopping.
	 * @param count changes the local count and runs the Redis script, returning the
	 * member's new total across instances (or null if Redis could not be reached)
	 */
	private void change(String code, String memberId, long settleAt, Function<String, Long> count) {
		if (!enter()) {
			return;
		}
		try {
			String field = field(code, memberId);
			Long total;
			this.syncLock.readLock().lock();
			try {
				total = count.apply(field);
			}
			finally {
				this.syncLock.readLock().unlock();
			}
			if (total != null && total == settleAt) {
				settle(code, memberId);
			}
		}
		finally {
			leave();
		}
	}

	/**
	 * Counts a call in, unless the instance is stopping: then its connections are
	 * withdrawn all at once by {@link #stop()}.
	 */
	private boolean enter() {
		synchronized (this.calls) {
			if (this.stopping) {
				return false;
			}
			this.inFlight++;
			return true;
		}
	}

	private void leave() {
		synchronized (this.calls) {
			this.inFlight--;
			this.calls.notifyAll();
		}
	}

	/** Waits (a few seconds at most) until the calls in progress are done. */
	private void drainCalls() {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		synchronized (this.calls) {
			this.stopping = true;
			long remaining;
			while (this.inFlight > 0 && (remaining = deadline - System.nanoTime()) > 0) {
				try {
					TimeUnit.NANOSECONDS.timedWait(this.calls, remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	/** The member's open connections on every instance (0 if Redis cannot tell). */
	public int connections(String code, String memberId) {
		Object count = call(() -> this.redis.opsForHash().get(presenceKey(code), memberId));
		return (count != null) ? Integer.parseInt((String) count) : 0;
	}

	/**
	 * Tells the room whether the member is connected, by the total in Redis, until the
	 * total no longer changes under it.
	 */
	private void settle(String code, String memberId) {
		boolean connected = connections(code, memberId) > 0;
		for (int attempt = 0; attempt < SETTLE_ATTEMPTS; attempt++) {
			try {
				if (connected) {
					this.changes.connected(code, memberId);
				}
				else {
					this.changes.disconnected(code, memberId);
				}
			}
			catch (RuntimeException ex) {
				log.warn(LogLine.of("presence-not-recorded").with("room", code).with("error", ex.getMessage()));
				return;
			}
			boolean now = connections(code, memberId) > 0;
			if (now == connected) {
				return;
			}
			connected = now;
		}
	}

	/** Renews the heartbeat, counts this instance in again if needed, reaps the dead. */
	void tick() {
		try {
			Long alive = this.redis.execute(HEARTBEAT, List.of(instanceKey(this.instanceId), instancesKey()),
					this.instanceId, ttl());
			if (this.unsynced || (alive != null && alive == 0 && !this.local.isEmpty())) {
				resync();
			}
			reapDeadInstances();
		}
		catch (DataAccessException ex) {
			this.unsynced = true;
			log.debug(LogLine.of("presence-heartbeat-failed").with("error", ex.getMessage()));
		}
		catch (RuntimeException ex) {
			log.warn(LogLine.of("presence-heartbeat-failed"), ex);
		}
	}

	private void resync() {
		List<?> changed;
		this.syncLock.writeLock().lock();
		try {
			this.unsynced = false;
			List<String> args = new ArrayList<>();
			args.add(this.prefix);
			this.local.forEach((field, count) -> {
				args.add(field);
				args.add(String.valueOf(count));
			});
			changed = this.redis.execute(RESYNC, List.of(connectionsKey(this.instanceId)), args.toArray());
		}
		finally {
			this.syncLock.writeLock().unlock();
		}
		// Outside the lock: telling rooms may wait for a room held by a caller of
		// opened().
		settleAll(changed);
	}

	private void reapDeadInstances() {
		Set<String> instances = this.redis.opsForSet().members(instancesKey());
		if (instances == null) {
			return;
		}
		for (String instance : instances) {
			if (!instance.equals(this.instanceId)) {
				reap(instance, false);
			}
		}
	}

	private void reap(String instance, boolean evenIfAlive) {
		List<?> gone = this.redis.execute(REAP,
				List.of(connectionsKey(instance), instancesKey(), instanceKey(instance)), instance, this.prefix,
				evenIfAlive ? "1" : "0");
		if (gone != null && !gone.isEmpty() && !evenIfAlive) {
			log.info(LogLine.of("instance-reaped").with("instance", instance).with("membersDisconnected", gone.size()));
		}
		settleAll(gone);
	}

	private void settleAll(List<?> fields) {
		if (fields == null) {
			return;
		}
		for (Object field : fields) {
			String entry = (String) field;
			int space = entry.indexOf(' ');
			settle(entry.substring(0, space), entry.substring(space + 1));
		}
	}

	/** Stops the heartbeat and nothing else, as a crash would (for tests). */
	synchronized void stopHeartbeat() {
		if (this.scheduler == null) {
			return;
		}
		this.scheduler.shutdown();
		try {
			this.scheduler.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.scheduler = null;
	}

	/**
	 * Stops the heartbeat and withdraws this instance's connections (a graceful stop;
	 * members left without a connection are shown disconnected).
	 */
	@Override
	public void stop() {
		if (!isRunning()) {
			return;
		}
		drainCalls();
		stopHeartbeat();
		try {
			this.local.clear();
			reap(this.instanceId, true);
		}
		catch (RuntimeException ex) {
			log.warn(LogLine.of("presence-withdraw-failed").with("error", ex.getMessage()));
		}
	}

	@Override
	public void close() {
		stop();
	}

	private <T> T call(java.util.function.Supplier<T> call) {
		try {
			return call.get();
		}
		catch (DataAccessException ex) {
			this.unsynced = true;
			log.warn(LogLine.of("presence-not-counted").with("retry", "next heartbeat").with("error", ex.getMessage()));
			return null;
		}
	}

	private String ttl() {
		return String.valueOf(this.heartbeatTtl.toMillis());
	}

	private static String field(String code, String memberId) {
		return code + ' ' + memberId;
	}

	private String presenceKey(String code) {
		return this.prefix + "presence:" + code;
	}

	private String connectionsKey(String instance) {
		return this.prefix + "connections:" + instance;
	}

	private String instanceKey(String instance) {
		return this.prefix + "instance:" + instance;
	}

	private String instancesKey() {
		return this.prefix + "instances";
	}

	/** Where presence changes go: the room service, in the application. */
	public interface Changes {

		/** The member has at least one connection on some instance. */
		void connected(String code, String memberId);

		/** The member has no connection on any instance. */
		void disconnected(String code, String memberId);

	}

}
