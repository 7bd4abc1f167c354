package dev.roomkeeper.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Open rooms and live connections over the last hour, for the admin page's chart: a
 * sample every minute, kept in memory (an hour of samples is a few kilobytes; a restart
 * starts a new hour).
 */
@Component
public class ActivityHistory implements SmartLifecycle {

	/** Time between samples. */
	public static final Duration INTERVAL = Duration.ofMinutes(1);

	/** How far back samples are kept. */
	public static final Duration SPAN = Duration.ofHours(1);

	private static final Log log = LogFactory.getLog(ActivityHistory.class);

	private final RoomCensus census;

	private final LiveConnectionCounts connections;

	private final Clock clock;

	private final Deque<Sample> samples = new ArrayDeque<>();

	private ScheduledExecutorService scheduler;

	public ActivityHistory(RoomCensus census, LiveConnectionCounts connections, Clock clock) {
		this.census = census;
		this.connections = connections;
		this.clock = clock;
	}

	/**
	 * One point of the chart.
	 *
	 * @param at when it was taken
	 * @param rooms open rooms
	 * @param connections open live connections on this instance
	 */
	public record Sample(Instant at, int rooms, int connections) {
	}

	/** Takes a sample now and keeps it; samples older than {@link #SPAN} are dropped. */
	public Sample sample() {
		Sample sample = current();
		synchronized (this.samples) {
			this.samples.addLast(sample);
			Instant oldest = sample.at().minus(SPAN);
			while (!this.samples.isEmpty() && this.samples.peekFirst().at().isBefore(oldest)) {
				this.samples.removeFirst();
			}
		}
		return sample;
	}

	/** The samples of the last hour, oldest first, followed by a fresh one for now. */
	public List<Sample> lastHour() {
		Sample now = current();
		Instant oldest = now.at().minus(SPAN);
		List<Sample> result = new ArrayList<>();
		synchronized (this.samples) {
			for (Sample sample : this.samples) {
				if (!sample.at().isBefore(oldest)) {
					result.add(sample);
				}
			}
		}
		result.add(now);
		return result;
	}

	private Sample current() {
		// A fresh count, not the metrics' cached totals: the page shows it next to fresh
		// stats.
		RoomCensus.Census census = this.census.take(0, 0);
		return new Sample(census.at(), census.rooms(), this.connections.total());
	}

	@Override
	public void start() {
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "roomkeeper-activity-history");
			thread.setDaemon(true);
			return thread;
		});
		this.scheduler.scheduleAtFixedRate(this::sampleSafely, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void sampleSafely() {
		try {
			sample();
		}
		catch (RuntimeException ex) {
			// A store that is down for a minute must not end the sampling for good.
			log.warn("Could not sample open rooms and connections: " + ex.getMessage());
		}
	}

	@Override
	public void stop() {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
			this.scheduler = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

}
