package dev.roomkeeper.bench;

import java.util.concurrent.atomic.LongAdder;

/**
 * How clients caught up with their rooms when they (re)connected, counted by
 * {@link BenchMember}: snapshots taken, recoveries ({@code recovered} events) and the
 * events they carried, and what would be a bug: a room event whose {@code seq} skips one
 * (gap) or repeats (duplicate) after a snapshot or recovery, or a {@code recovered} whose
 * {@code toSeq} is not the last event the client received. Also the characters of every
 * MESSAGE frame received, to compare what each way of catching up sends.
 */
final class CatchUps {

	private final LongAdder snapshots = new LongAdder();

	private final LongAdder recoveries = new LongAdder();

	private final LongAdder recoveredEvents = new LongAdder();

	private final LongAdder gaps = new LongAdder();

	private final LongAdder duplicates = new LongAdder();

	private final LongAdder mismatches = new LongAdder();

	private final LongAdder errors = new LongAdder();

	private final LongAdder frameChars = new LongAdder();

	void reset() {
		for (LongAdder counter : new LongAdder[] { this.snapshots, this.recoveries, this.recoveredEvents, this.gaps,
				this.duplicates, this.mismatches, this.errors, this.frameChars }) {
			counter.reset();
		}
	}

	void snapshot() {
		this.snapshots.increment();
	}

	void recovered(long events, boolean matches) {
		this.recoveries.increment();
		this.recoveredEvents.add(events);
		if (!matches) {
			this.mismatches.increment();
		}
	}

	void gap() {
		this.gaps.increment();
	}

	void duplicate() {
		this.duplicates.increment();
	}

	/** Counts an {@code error} event; returns how many were counted so far. */
	long error() {
		this.errors.increment();
		return this.errors.sum();
	}

	void frame(int chars) {
		this.frameChars.add(chars);
	}

	long snapshots() {
		return this.snapshots.sum();
	}

	long recoveries() {
		return this.recoveries.sum();
	}

	long recoveredEvents() {
		return this.recoveredEvents.sum();
	}

	/** Gaps, duplicates, mismatched {@code recovered} events and {@code error} events. */
	long faults() {
		return this.gaps.sum() + this.duplicates.sum() + this.mismatches.sum() + this.errors.sum();
	}

	long frameChars() {
		return this.frameChars.sum();
	}

	String faultSummary() {
		return String.format("%d gaps, %d duplicates, %d recovered events not matching the last seq, %d error events",
				this.gaps.sum(), this.duplicates.sum(), this.mismatches.sum(), this.errors.sum());
	}

}
