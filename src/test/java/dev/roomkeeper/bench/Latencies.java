package dev.roomkeeper.bench;

import java.util.Arrays;

/**
 * Latency samples in nanoseconds, recorded from any thread, summarised as percentiles.
 */
final class Latencies {

	private long[] samples = new long[1 << 16];

	private int count;

	synchronized void record(long nanos) {
		if (this.count == this.samples.length) {
			this.samples = Arrays.copyOf(this.samples, 2 * this.count);
		}
		this.samples[this.count++] = nanos;
	}

	synchronized void clear() {
		this.count = 0;
	}

	/**
	 * The given percentile in milliseconds, or NaN without samples.
	 * @param percentile from 0 to 100 (100 is the maximum)
	 */
	synchronized double percentileMillis(double percentile) {
		if (this.count == 0) {
			return Double.NaN;
		}
		long[] sorted = Arrays.copyOf(this.samples, this.count);
		Arrays.sort(sorted);
		return sorted[Math.min(sorted.length - 1, (int) (sorted.length * percentile / 100))] / 1e6;
	}

	/**
	 * p50, p99 and max in milliseconds with the sample count, or null without samples.
	 */
	synchronized String summary() {
		if (this.count == 0) {
			return null;
		}
		long[] sorted = Arrays.copyOf(this.samples, this.count);
		Arrays.sort(sorted);
		return String.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d samples)", sorted[sorted.length / 2] / 1e6,
				sorted[(int) (sorted.length * 0.99)] / 1e6, sorted[sorted.length - 1] / 1e6, sorted.length);
	}

}
