package dev.roomkeeper.live;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A subscription to a room topic, which holds room events back while a snapshot is being
 * taken: events with a {@code seq} up to the snapshot's are dropped (the snapshot already
 * contains them), later ones follow it in order. So a client sees the snapshot, then the
 * events after it, with no gap and no duplicate, although events keep flowing while the
 * snapshot is read.
 */
final class TopicSubscription {

	private final String id;

	private final String escapedId;

	private volatile boolean holding = true;

	/**
	 * The seq of the last snapshot or recovered event: events up to it are never
	 * delivered (with Redis, an event can reach this instance after a snapshot read that
	 * already contains it).
	 */
	private volatile long floor = -1;

	private final List<HeldFrame> held = new ArrayList<>(4);

	private record HeldFrame(long seq, byte[] frame) {
	}

	/** A new subscription, holding events until its first snapshot is released. */
	TopicSubscription(String id) {
		this.id = id;
		this.escapedId = StompFrames.escape(id);
	}

	String id() {
		return this.id;
	}

	String escapedId() {
		return this.escapedId;
	}

	/** Delivers an event's frame, or holds it back while a snapshot is taken. */
	void deliver(long seq, byte[] frame, Consumer<byte[]> connection) {
		if (seq <= this.floor) {
			return;
		}
		if (this.holding) {
			synchronized (this) {
				if (this.holding) {
					this.held.add(new HeldFrame(seq, frame));
					return;
				}
			}
		}
		connection.accept(frame);
	}

	/** Starts holding events back: a snapshot is about to be read. */
	synchronized void hold() {
		this.holding = true;
	}

	/**
	 * Delivers the events held back that are newer than the snapshot just queued, and
	 * stops holding.
	 * @param snapshotSeq the snapshot's seq ({@code -1} to deliver everything held)
	 */
	synchronized void release(long snapshotSeq, Consumer<byte[]> connection) {
		for (HeldFrame frame : this.held) {
			if (frame.seq() > snapshotSeq) {
				connection.accept(frame.frame());
			}
		}
		this.held.clear();
		this.floor = Math.max(this.floor, snapshotSeq);
		this.holding = false;
	}

}
