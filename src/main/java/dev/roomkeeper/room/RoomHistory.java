package dev.roomkeeper.room;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HexFormat;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A room's recent room-topic events and the epoch that vouches for them.
 * <p>
 * The store appends the events of every change ({@link #appended}), keeping the last
 * {@code rooms.history.size}. The {@code epoch} is an opaque string that changes whenever
 * the store cannot vouch for the events it holds (they may have been lost or cut short:
 * an unclean stop of the file store, an import without history, Redis losing the history
 * key): a client that saw another epoch is never told it recovered.
 * <p>
 * In the memory and file stores the events travel with the room; the Redis store keeps
 * them in a list of their own, so a room read from Redis with {@link RoomRepository#find}
 * holds the epoch and no events (use {@link RoomRepository#findWithHistory}).
 *
 * @param epoch the epoch
 * @param events the events held, oldest first
 */
public record RoomHistory(String epoch, List<HistoryEvent> events) {

	/** The default of {@code rooms.history.size}. */
	public static final int DEFAULT_SIZE = 100;

	private static final SecureRandom random = new SecureRandom();

	public RoomHistory {
		if (epoch == null || epoch.isEmpty()) {
			epoch = newEpochValue();
		}
		if (!(events instanceof EventArray)) {
			events = (events != null) ? List.copyOf(events) : List.of();
		}
	}

	/** An empty history with a new epoch, for a new room. */
	public static RoomHistory fresh() {
		return new RoomHistory(null, List.of());
	}

	private static String newEpochValue() {
		byte[] bytes = new byte[6];
		random.nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

	/** The same events under a new epoch: the store cannot vouch for them any more. */
	public RoomHistory withNewEpoch() {
		return new RoomHistory(newEpochValue(), this.events);
	}

	/** The same epoch without events (what the Redis store keeps in the room itself). */
	public RoomHistory withoutEvents() {
		return this.events.isEmpty() ? this : new RoomHistory(this.epoch, List.of());
	}

	/**
	 * This history with more events, keeping the last {@code size}. The kept events are
	 * copied once, into the array the new history holds (this runs on every message).
	 */
	public RoomHistory appended(List<HistoryEvent> added, int size) {
		if (added.isEmpty() || size <= 0) {
			return this;
		}
		int total = this.events.size() + added.size();
		int skip = Math.max(0, total - size);
		HistoryEvent[] kept = new HistoryEvent[Math.min(total, size)];
		int next = 0;
		for (int i = skip; i < this.events.size(); i++) {
			kept[next++] = this.events.get(i);
		}
		for (int i = Math.max(0, skip - this.events.size()); i < added.size(); i++) {
			kept[next++] = Objects.requireNonNull(added.get(i), "event");
		}
		return new RoomHistory(this.epoch, new EventArray(kept));
	}

	/**
	 * The events after {@code since}, up to {@code limit}, and whether they are every
	 * event the caller asked for.
	 * @param since the last seq the caller has, or {@code null} for the latest
	 * {@code limit} events
	 * @param roomSeq the room's current seq
	 * @param limit the most events to return, at least 1
	 */
	public Page after(Long since, long roomSeq, int limit) {
		List<HistoryEvent> selected;
		long start;
		if (since == null) {
			selected = this.events.subList(Math.max(0, this.events.size() - limit), this.events.size());
			start = selected.isEmpty() ? roomSeq : selected.get(0).seq() - 1;
		}
		else {
			if (since > roomSeq) {
				return new Page(List.of(), false);
			}
			selected = new ArrayList<>();
			for (HistoryEvent event : this.events) {
				if (event.seq() > since) {
					selected.add(event);
					if (selected.size() == limit) {
						break;
					}
				}
			}
			start = since;
		}
		long expected = start + 1;
		for (HistoryEvent event : selected) {
			if (event.seq() != expected) {
				return new Page(List.copyOf(selected), false);
			}
			expected++;
		}
		boolean reachedLimit = selected.size() == limit;
		return new Page(List.copyOf(selected), reachedLimit || expected - 1 == roomSeq);
	}

	/**
	 * Events of a history read.
	 *
	 * @param events the events, in seq order
	 * @param complete whether no event the caller asked for is missing: they follow the
	 * asked {@code since} (or each other) without a gap, up to the limit or the room's
	 * seq
	 */
	public record Page(List<HistoryEvent> events, boolean complete) {

	}

	/**
	 * The events of {@link #appended}: an array no one else holds, so the history keeps
	 * it without copying it again.
	 */
	private static final class EventArray extends AbstractList<HistoryEvent> implements RandomAccess {

		private final HistoryEvent[] events;

		EventArray(HistoryEvent[] events) {
			this.events = events;
		}

		@Override
		public HistoryEvent get(int index) {
			return this.events[index];
		}

		@Override
		public int size() {
			return this.events.length;
		}

	}

}
