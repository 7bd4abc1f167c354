package dev.roomkeeper.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;

import dev.roomkeeper.ops.RoomMetrics;
import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.RoomProperties;
import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.room.RoomService;
import dev.roomkeeper.system.LogLine;

/**
 * Closes idle rooms, warns rooms that are about to close, and removes stale members,
 * every {@code rooms.sweep-interval}.
 * <p>
 * A sweep asks the store's lifecycle indexes for the rooms that are due (in this order:
 * past {@code rooms.idle-timeout}, then with members disconnected for longer than
 * {@code rooms.presence.stale-after}, then within {@code rooms.warning-before} of closing
 * and not yet warned), so its work grows with the number of due rooms, never with the
 * number of rooms. Each room is then handled by its own short {@link RoomService} change,
 * which re-checks the room under its lock and raises the events ({@code closed},
 * {@code member-removed}, {@code warning}): a sweep never holds more than one room at a
 * time, so REST and live traffic on other rooms carries on. The changes are stored with
 * one {@link RoomRepository#flush()} per 10 rooms and at the end of the sweep; a crash
 * before that is harmless, as expiry is also checked on read and at start-up.
 * <p>
 * Sweeps are serialised. One runs when the application starts (so rooms that expired
 * while the server was down are closed before anyone asks for them), then on a schedule
 * unless {@code rooms.sweep-enabled=false}; {@link #sweep()} may also be called directly.
 */
@Component
public class RoomSweeper implements SmartLifecycle {

	private static final Log log = LogFactory.getLog(RoomSweeper.class);

	/** Codes asked from an index at a time; a sweep asks again while batches are full. */
	private static final int BATCH_SIZE = 500;

	/** Changed rooms stored at a time (one flush of the store). */
	private static final int STORE_EVERY = 10;

	/** Before the web server starts, so expired rooms are closed before requests come. */
	private static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final RoomExpiry expiry;

	private final RoomRepository repository;

	private final RoomProperties properties;

	private final Clock clock;

	private final int batchSize;

	private final Timer sweepTimer;

	private final ReentrantLock sweepLock = new ReentrantLock();

	private volatile ThreadPoolTaskScheduler scheduler;

	private volatile boolean running;

	/**
	 * The sweeper of the application: it records each sweep in the
	 * {@value RoomMetrics#SWEEP} timer when a {@link MeterRegistry} is present.
	 */
	@Autowired
	public RoomSweeper(RoomService rooms, RoomRepository repository, RoomProperties properties, Clock clock,
			ObjectProvider<MeterRegistry> meterRegistry) {
		this(rooms, repository, properties, clock, BATCH_SIZE, meterRegistry.getIfAvailable());
	}

	/** A sweeper without metrics. */
	public RoomSweeper(RoomService rooms, RoomRepository repository, RoomProperties properties, Clock clock) {
		this(rooms, repository, properties, clock, BATCH_SIZE, null);
	}

	RoomSweeper(RoomService rooms, RoomRepository repository, RoomProperties properties, Clock clock, int batchSize,
			MeterRegistry meterRegistry) {
		checkDurations(properties);
		this.expiry = new RoomExpiry(rooms, repository, properties, clock);
		this.repository = repository;
		this.properties = properties;
		this.clock = clock;
		this.batchSize = batchSize;
		this.sweepTimer = (meterRegistry != null) ? Timer.builder(RoomMetrics.SWEEP)
			.description("Time of one sweep for idle rooms and stale members")
			.register(meterRegistry) : null;
	}

	private static void checkDurations(RoomProperties properties) {
		Duration idleTimeout = properties.getIdleTimeout();
		Duration warningBefore = properties.getWarningBefore();
		requirePositive("rooms.idle-timeout", idleTimeout);
		requirePositive("rooms.sweep-interval", properties.getSweepInterval());
		if (warningBefore.isNegative() || warningBefore.compareTo(idleTimeout) >= 0) {
			throw new IllegalStateException("rooms.warning-before (" + warningBefore
					+ ") must be zero (no warnings) or shorter than rooms.idle-timeout (" + idleTimeout + ")");
		}
		if (properties.getPresence().getStaleAfter().isNegative()) {
			throw new IllegalStateException("rooms.presence.stale-after must not be negative");
		}
	}

	private static void requirePositive(String property, Duration value) {
		if (value.isZero() || value.isNegative()) {
			throw new IllegalStateException(property + " must be positive, was " + value);
		}
	}

	/**
	 * Sweeps once now: closes the rooms past their idle timeout, removes stale members,
	 * warns the rooms about to close, and stores the changes. Waits for a sweep in
	 * progress to finish first. A room that cannot be handled is logged and left for the
	 * next sweep.
	 * @return what the sweep did
	 */
	public SweepResult sweep() {
		this.sweepLock.lock();
		try {
			long started = System.nanoTime();
			Instant now = this.clock.instant();
			Duration idleTimeout = this.properties.getIdleTimeout();
			Duration warningBefore = this.properties.getWarningBefore();
			Changes changes = new Changes();
			Instant idleCutoff = now.minus(idleTimeout);
			int closed = drain(() -> this.repository.findInactiveSince(idleCutoff, this.batchSize),
					(code) -> this.expiry.closeIfInactive(code, Durability.DEFERRED) ? 1 : 0, changes);
			Instant staleCutoff = now.minus(this.properties.getPresence().getStaleAfter());
			int staleMembers = drain(
					() -> this.repository.findWithMembersDisconnectedSince(staleCutoff, this.batchSize),
					(code) -> this.expiry.removeStaleMembers(code, Durability.DEFERRED), changes);
			int warned = 0;
			if (!warningBefore.isZero()) {
				Instant warningCutoff = now.minus(idleTimeout.minus(warningBefore));
				warned = drain(() -> this.repository.findUnwarnedInactiveSince(warningCutoff, this.batchSize),
						(code) -> this.expiry.warnIfClosingSoon(code, Durability.DEFERRED) ? 1 : 0, changes);
			}
			changes.store();
			SweepResult result = new SweepResult(closed, warned, staleMembers,
					Duration.ofNanos(System.nanoTime() - started), Duration.ofNanos(changes.storingNanos));
			if (this.sweepTimer != null) {
				this.sweepTimer.record(result.took());
			}
			if (log.isDebugEnabled()) {
				log.debug(LogLine.of("sweep")
					.with("closed", closed)
					.with("warned", warned)
					.with("staleMembersRemoved", staleMembers)
					.with("millis", result.took().toMillis())
					.with("storingMillis", result.storing().toMillis()));
			}
			return result;
		}
		finally {
			this.sweepLock.unlock();
		}
	}

	/**
	 * Handles the codes an index query returns, batch after batch, until a batch is not
	 * full or nothing in it could be handled (rooms that changed since the query stay for
	 * the next sweep).
	 * @return the sum of what the handler returned
	 */
	private int drain(Supplier<List<String>> query, ToIntFunction<String> handler, Changes changes) {
		int total = 0;
		while (true) {
			List<String> codes = query.get();
			int handled = 0;
			for (String code : codes) {
				try {
					int done = handler.applyAsInt(code);
					if (done > 0) {
						total += done;
						handled++;
						changes.add();
					}
				}
				catch (RuntimeException ex) {
					log.warn(LogLine.of("sweep-failed-room").with("room", code).with("retry", "next sweep"), ex);
				}
			}
			if (codes.size() < this.batchSize || handled == 0) {
				return total;
			}
		}
	}

	/**
	 * The rooms a sweep changed and has not stored yet. They are stored every
	 * {@value #STORE_EVERY} rooms, so a durable write of a request never waits behind
	 * more than that many of the sweep's writes (file store: one batch of the group
	 * commit).
	 */
	private final class Changes {

		private int unstored;

		private long storingNanos;

		void add() {
			if (++this.unstored >= STORE_EVERY) {
				store();
			}
		}

		void store() {
			if (this.unstored > 0) {
				long started = System.nanoTime();
				RoomSweeper.this.repository.flush();
				this.storingNanos += System.nanoTime() - started;
				this.unstored = 0;
			}
		}

	}

	private void scheduledSweep() {
		try {
			sweep();
		}
		catch (RuntimeException ex) {
			log.error("Sweep failed; trying again in " + this.properties.getSweepInterval(), ex);
		}
	}

	/** Sweeps once, then schedules sweeps unless {@code rooms.sweep-enabled=false}. */
	@Override
	public void start() {
		scheduledSweep();
		if (this.properties.isSweepEnabled()) {
			ThreadPoolTaskScheduler taskScheduler = new ThreadPoolTaskScheduler();
			taskScheduler.setThreadNamePrefix("roomkeeper-sweeper-");
			taskScheduler.setWaitForTasksToCompleteOnShutdown(true);
			taskScheduler.setAwaitTerminationSeconds(10);
			taskScheduler.initialize();
			Duration interval = this.properties.getSweepInterval();
			// The schedule runs on wall-clock time; the sweep itself decides on the Clock
			// bean.
			taskScheduler.scheduleWithFixedDelay(this::scheduledSweep,
					taskScheduler.getClock().instant().plus(interval), interval);
			this.scheduler = taskScheduler;
		}
		this.running = true;
	}

	/** Stops the schedule, letting a sweep in progress finish. */
	@Override
	public void stop() {
		ThreadPoolTaskScheduler taskScheduler = this.scheduler;
		if (taskScheduler != null) {
			taskScheduler.shutdown();
			this.scheduler = null;
		}
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
