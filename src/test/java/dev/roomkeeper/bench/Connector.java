package dev.roomkeeper.bench;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Connects members with at most {@code inFlight} attempts under way (from TCP connect to
 * ready), an attempt timing out after {@code timeout}, and up to {@code retries} retries
 * per member after an exponential back-off with jitter (the member keeps its in-flight
 * slot while it waits).
 */
final class Connector implements BenchClient.Attempts {

	private static final long FIRST_BACK_OFF_MILLIS = 200;

	private static final int REASONS_PRINTED = 10;

	private final ScheduledExecutorService scheduler;

	private final Semaphore inFlight;

	private final int retries;

	private final Duration timeout;

	private final LongAdder ready = new LongAdder();

	private final LongAdder failures = new LongAdder();

	private final LongAdder retried = new LongAdder();

	private final LongAdder lost = new LongAdder();

	private final Queue<String> givenUp = new ConcurrentLinkedQueue<>();

	private volatile CountDownLatch settled = new CountDownLatch(0);

	Connector(ScheduledExecutorService scheduler, int inFlight, int retries, Duration timeout) {
		this.scheduler = scheduler;
		this.inFlight = new Semaphore(inFlight);
		this.retries = retries;
		this.timeout = timeout;
	}

	/**
	 * Connects every member and waits until each is ready or has used its retries.
	 * @return what happened
	 * @throws IllegalStateException as soon as a member is still not connected after its
	 * retries
	 */
	Result connectAll(List<? extends BenchClient> members) throws InterruptedException {
		this.settled = new CountDownLatch(members.size());
		long start = System.nanoTime();
		for (BenchClient member : members) {
			while (!this.inFlight.tryAcquire(1, TimeUnit.SECONDS)) {
				failIfGivenUp(members.size(), start);
			}
			attempt(member);
		}
		while (!this.settled.await(1, TimeUnit.SECONDS)) {
			failIfGivenUp(members.size(), start);
		}
		failIfGivenUp(members.size(), start);
		return new Result(this.ready.sum(), (System.nanoTime() - start) / 1e9, this.failures.sum(), this.retried.sum());
	}

	/** Ends the run as soon as one client is given up: a partial run would mislead. */
	private void failIfGivenUp(int total, long start) {
		if (!this.givenUp.isEmpty()) {
			throw new IllegalStateException(String.format(
					"%d client(s) not connected after %d retries (%d of %d ready after %.1f s, %d failed attempts);"
							+ " reasons: %s",
					this.givenUp.size(), this.retries, this.ready.sum(), total, (System.nanoTime() - start) / 1e9,
					this.failures.sum(), this.givenUp.stream().limit(REASONS_PRINTED).toList()));
		}
	}

	/** Connections that ended after they were ready. */
	long lost() {
		return this.lost.sum();
	}

	private void attempt(BenchClient member) {
		BenchClient.TimeOut timeOut = member.connect(this);
		this.scheduler.schedule(() -> timeOut.expire("not ready within " + this.timeout.toMillis() + " ms"),
				this.timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public void ready(BenchClient member) {
		this.ready.increment();
		this.inFlight.release();
		this.settled.countDown();
	}

	@Override
	public void failed(BenchClient member, String reason) {
		this.failures.increment();
		if (this.failures.sum() <= REASONS_PRINTED) {
			System.err.println("connection attempt failed: " + reason);
		}
		int attempts = member.attemptCount();
		if (attempts <= this.retries) {
			this.retried.increment();
			long backOff = FIRST_BACK_OFF_MILLIS << (attempts - 1);
			backOff += ThreadLocalRandom.current().nextLong(backOff);
			this.scheduler.schedule(() -> attempt(member), backOff, TimeUnit.MILLISECONDS);
		}
		else {
			this.givenUp.add(reason);
			this.inFlight.release();
			this.settled.countDown();
		}
	}

	@Override
	public void lost(BenchClient member, String reason) {
		this.lost.increment();
		if (this.lost.sum() <= REASONS_PRINTED) {
			System.err.println("connection lost: " + reason);
		}
	}

	/**
	 * The connect phase.
	 *
	 * @param ready clients that became ready
	 * @param seconds from the first attempt to the last client settled
	 * @param failures attempts that failed or timed out
	 * @param retries attempts repeated after a failure
	 */
	record Result(long ready, double seconds, long failures, long retries) {

		double readyPerSecond() {
			return this.ready / this.seconds;
		}

	}

}
