package dev.roomkeeper.bench;

/**
 * One member of a benchmark room with its own connection, whatever the protocol: the
 * {@link Connector} connects it, the benchmark makes it broadcast. A connection attempt
 * ends in {@link Attempts#ready} or {@link Attempts#failed} exactly once; a newer attempt
 * makes an older one's callbacks void.
 */
interface BenchClient {

	/**
	 * Starts a connection attempt; its outcome goes to {@code attempts}.
	 * @return gives up on this attempt (with a reason) unless it is ready by then
	 */
	TimeOut connect(Attempts attempts);

	/** Connection attempts started so far. */
	int attemptCount();

	/** Whether the member is on the second server (whose RSS is not measured). */
	boolean acrossInstances();

	/**
	 * Sends one broadcast to the room, stamped with {@code stampNanos} (a
	 * {@code System.nanoTime()} value); does nothing if not connected.
	 */
	void broadcast(long stampNanos);

	/** Gives up on one connection attempt. */
	interface TimeOut {

		/**
		 * Ends the attempt as failed with this reason, if still current and not ready.
		 */
		void expire(String reason);

	}

	/** Outcomes of connection attempts. */
	interface Attempts {

		/** The attempt is ready (subscribed to its room). */
		void ready(BenchClient member);

		/** The attempt ended before it was ready. */
		void failed(BenchClient member, String reason);

		/** A ready connection ended. */
		void lost(BenchClient member, String reason);

	}

}
