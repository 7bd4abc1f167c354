package dev.roomkeeper.bench;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the measurement counts: broadcasts sent, {@code message} events delivered and
 * their latency from the {@code System.nanoTime()} stamp {@code t} in the broadcast's
 * data (sender and receivers share this JVM's clock). Counts only while measuring: by
 * default what is sent and received between {@link #start()} and {@link #stop()}; after
 * {@link #startWindow(long)} only the broadcasts stamped inside the window and their
 * deliveries, whenever they arrive before {@link #stop()} (so a late delivery counts with
 * its latency, and one that never arrives counts as missing).
 */
final class Deliveries {

	private static final String MESSAGE_EVENT = "\"type\":\"message\"";

	private final LongAdder sent = new LongAdder();

	private final LongAdder delivered = new LongAdder();

	private final LongAdder deliveredAcross = new LongAdder();

	private final Latencies latencies = new Latencies();

	private final Latencies latenciesAcross = new Latencies();

	private volatile boolean measuring;

	private volatile long windowStart = Long.MIN_VALUE;

	private volatile long windowEnd = Long.MAX_VALUE;

	/** Clears the counts and starts counting. */
	void start() {
		this.windowStart = Long.MIN_VALUE;
		this.windowEnd = Long.MAX_VALUE;
		startCounting();
	}

	/**
	 * Clears the counts and starts counting the broadcasts stamped from {@code from} on
	 * (until {@link #endWindow(long)}) and their deliveries.
	 */
	void startWindow(long from) {
		this.windowStart = from;
		this.windowEnd = Long.MAX_VALUE;
		startCounting();
	}

	/** Ends the window: broadcasts stamped from {@code end} on no longer count. */
	void endWindow(long end) {
		this.windowEnd = end;
	}

	private void startCounting() {
		this.sent.reset();
		this.delivered.reset();
		this.deliveredAcross.reset();
		this.latencies.clear();
		this.latenciesAcross.clear();
		this.measuring = true;
	}

	void stop() {
		this.measuring = false;
	}

	/**
	 * The body of a broadcast: {@code {"data":{"t":<stampNanos>,"n":<sequence>}}}.
	 * @param sequence the sender's sequence number
	 * @param stampNanos when the broadcast is (or was meant to be) sent, a
	 * {@code System.nanoTime()} value: latency counts from there
	 */
	String broadcastBody(long sequence, long stampNanos) {
		if (this.measuring && inWindow(stampNanos)) {
			this.sent.increment();
		}
		return "{\"data\":{\"t\":" + stampNanos + ",\"n\":" + sequence + "}}";
	}

	/**
	 * Counts a MESSAGE frame if it carries a {@code message} event.
	 * @param frame the STOMP frame
	 * @param acrossInstances whether the receiver is on the second server
	 */
	void received(String frame, boolean acrossInstances) {
		if (!this.measuring) {
			return;
		}
		int event = frame.indexOf(MESSAGE_EVENT);
		int t = (event < 0) ? -1 : frame.indexOf("\"t\":", event);
		if (t < 0) {
			return;
		}
		int end = (frame.charAt(t + 4) == '-') ? t + 5 : t + 4;
		while (end < frame.length() && Character.isDigit(frame.charAt(end))) {
			end++;
		}
		long stamp = Long.parseLong(frame, t + 4, end, 10);
		if (!inWindow(stamp)) {
			return;
		}
		long latency = System.nanoTime() - stamp;
		this.delivered.increment();
		this.latencies.record(latency);
		if (acrossInstances) {
			this.deliveredAcross.increment();
			this.latenciesAcross.record(latency);
		}
	}

	private boolean inWindow(long stamp) {
		return stamp >= this.windowStart && stamp < this.windowEnd;
	}

	long sent() {
		return this.sent.sum();
	}

	long delivered() {
		return this.delivered.sum();
	}

	long deliveredAcross() {
		return this.deliveredAcross.sum();
	}

	Latencies latencies() {
		return this.latencies;
	}

	Latencies latenciesAcross() {
		return this.latenciesAcross;
	}

}
