package dev.roomkeeper.store.file;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link FileStoreFaults} for tests: fails one step with an {@link IOException}, once
 * or until {@link #clear()}, and counts how often it did (so a test can check that the
 * fault was really hit).
 */
final class InjectedFault implements FileStoreFaults {

	private final Step step;

	private final AtomicInteger remaining;

	private final AtomicInteger thrown = new AtomicInteger();

	private InjectedFault(Step step, int times) {
		this.step = step;
		this.remaining = new AtomicInteger(times);
	}

	/** Fails the step's next run only. */
	static InjectedFault once(Step step) {
		return new InjectedFault(step, 1);
	}

	/** Fails every run of the step until {@link #clear()}. */
	static InjectedFault persistent(Step step) {
		return new InjectedFault(step, Integer.MAX_VALUE);
	}

	static InjectedFault of(Step step, boolean persistent) {
		return persistent ? persistent(step) : once(step);
	}

	@Override
	public void before(Step step) throws IOException {
		if (step == this.step && this.remaining.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) {
			this.thrown.incrementAndGet();
			throw new IOException("Injected fault at " + step);
		}
	}

	/** The step runs again from now on. */
	void clear() {
		this.remaining.set(0);
	}

	/** How many times the step was failed. */
	int thrown() {
		return this.thrown.get();
	}

}
