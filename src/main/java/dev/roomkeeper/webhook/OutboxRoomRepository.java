package dev.roomkeeper.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import dev.roomkeeper.room.ChangeResult;
import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomChange;
import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.room.RoomWebhooks;
import dev.roomkeeper.room.RoomWebhooks.PendingWebhook;

/**
 * The store as the rest of the application sees it when webhooks are on: every change's
 * webhooks are added to the room's outbox <em>inside</em> the change, so the store writes
 * them in the same atomic write as the change (room file, Redis write script); nothing is
 * raised for a change that was not stored.
 * <p>
 * <b>Closed rooms.</b> A room that closes while it has webhooks to send (its own
 * {@code room.closed} at least) is not deleted but kept as a <em>closed room</em>: no
 * members, its outbox, {@code closedAt} set, its last activity pushed far ahead (so the
 * sweeper's and eviction's indexes pass it by). To everyone but the delivery it is gone:
 * {@link #find}, {@link #findAll}, {@link #findPage} skip it and {@link #update} answers
 * empty. The delivery deletes it once its outbox is empty. A new room created with its
 * code takes the outbox over (order per code is kept). {@link #count()} counts closed
 * rooms until they are deleted.
 */
public class OutboxRoomRepository implements RoomRepository {

	/** How far ahead a closed room's last activity is put. */
	private static final Duration CLOSED_ROOM_ACTIVITY_AHEAD = Duration.ofDays(365 * 100);

	private final RoomRepository store;

	private final WebhookRecorder recorder;

	private volatile Consumer<String> outboxChanged = (code) -> {
	};

	OutboxRoomRepository(RoomRepository store, WebhookRecorder recorder) {
		this.store = store;
		this.recorder = recorder;
	}

	/** The store underneath. */
	RoomRepository store() {
		return this.store;
	}

	/** Whether a room event of this type raises a webhook. */
	boolean raisesWebhook(String eventType) {
		return this.recorder.raises(eventType);
	}

	void onOutboxChanged(Consumer<String> listener) {
		this.outboxChanged = listener;
	}

	@Override
	public boolean create(Room room) {
		List<PendingWebhook> created = this.recorder.created(room);
		Room withCreated = room.withWebhooks(room.webhooks().plus(created));
		if (this.store.create(withCreated)) {
			if (!created.isEmpty()) {
				this.outboxChanged.accept(room.code());
			}
			return true;
		}
		boolean tookOver = this.store.update(room.code(), (current) -> {
			if (!current.webhooks().isClosed()) {
				return ChangeResult.unchanged(false);
			}
			// A closed room of this code still sends its webhooks: the new room takes
			// them
			// over, after them in order.
			return ChangeResult.save(withCreated.withWebhooks(current.webhooks().open().plus(created)), true);
		}, Durability.DURABLE).orElse(false);
		if (tookOver) {
			this.outboxChanged.accept(room.code());
		}
		return tookOver;
	}

	@Override
	public Optional<Room> find(String code) {
		return this.store.find(code).filter(OutboxRoomRepository::isOpen);
	}

	@Override
	public Optional<Room> findWithHistory(String code) {
		return this.store.findWithHistory(code).filter(OutboxRoomRepository::isOpen);
	}

	@Override
	public <R> Optional<R> update(String code, RoomChange<R> change, Durability durability) {
		boolean[] raised = new boolean[1];
		Optional<R> result = this.store.update(code, recording(change, raised), durability);
		if (raised[0]) {
			this.outboxChanged.accept(code);
		}
		return result;
	}

	@Override
	public <R> CompletionStage<Optional<R>> updateInBackground(String code, RoomChange<R> change,
			Durability durability) {
		boolean[] raised = new boolean[1];
		return this.store.updateInBackground(code, recording(change, raised), durability).thenApply((result) -> {
			if (raised[0]) {
				this.outboxChanged.accept(code);
			}
			return result;
		});
	}

	/**
	 * The change on open rooms only, with the webhooks its events raise recorded in the
	 * room; {@code raised[0]} tells whether the last run raised any.
	 */
	private <R> RoomChange<R> recording(RoomChange<R> change, boolean[] raised) {
		return (current) -> {
			raised[0] = false;
			if (!isOpen(current)) {
				return ChangeResult.unchanged(null);
			}
			ChangeResult<R> outcome = change.apply(current);
			ChangeResult<R> recorded = record(current, outcome);
			raised[0] = recorded != outcome;
			return recorded;
		};
	}

	private <R> ChangeResult<R> record(Room current, ChangeResult<R> outcome) {
		List<PendingWebhook> raised = this.recorder.raised(outcome.events());
		if (outcome.delete()) {
			RoomWebhooks outbox = current.webhooks().plus(raised);
			if (outbox.isEmpty()) {
				return outcome;
			}
			return new ChangeResult<>(closedRoom(current, outbox, closedAt(outcome, current)), false, outcome.events(),
					outcome.result());
		}
		if (raised.isEmpty()) {
			return outcome;
		}
		Room base = (outcome.room() != null) ? outcome.room() : current;
		return new ChangeResult<>(base.withWebhooks(base.webhooks().plus(raised)), false, outcome.events(),
				outcome.result());
	}

	private static Instant closedAt(ChangeResult<?> outcome, Room current) {
		return outcome.events().isEmpty() ? current.lastActivityAt()
				: outcome.events().get(outcome.events().size() - 1).at();
	}

	private static Room closedRoom(Room room, RoomWebhooks outbox, Instant at) {
		return room.edit()
			.members(List.of())
			.lastActivityAt(at.plus(CLOSED_ROOM_ACTIVITY_AHEAD))
			.warnedAt(at)
			.webhooks(outbox.closed(at))
			.build();
	}

	static boolean isOpen(Room room) {
		return !room.webhooks().isClosed();
	}

	/** A room with its outbox, closed rooms included. */
	Optional<Room> findWithOutbox(String code) {
		return this.store.find(code);
	}

	/**
	 * A room with its outbox, closed rooms included, read under the room's lock: every
	 * change it shows has been handed to the store, so a
	 * {@link #flushChanges(Collection)} after this read stores them all.
	 */
	Optional<Room> readWithOutbox(String code) {
		return this.store.update(code, (room) -> ChangeResult.unchanged(room), Durability.DEFERRED);
	}

	/**
	 * Changes a room's outbox (a delivery done or given up), deleting a closed room whose
	 * outbox is now empty. Stored within the store's flush interval: if it is lost, the
	 * webhook is sent again (at least once).
	 */
	void updateOutbox(String code, UnaryOperator<RoomWebhooks> change) {
		this.store.update(code, (room) -> {
			RoomWebhooks next = change.apply(room.webhooks());
			if (next.equals(room.webhooks())) {
				return ChangeResult.unchanged(true);
			}
			if (next.isClosed() && next.isEmpty()) {
				return ChangeResult.delete(true);
			}
			return ChangeResult.save(room.withWebhooks(next), true);
		}, Durability.DEFERRED);
	}

	/** One page of every stored room, closed ones included (for the delivery's scans). */
	List<Room> pageWithOutboxes(String afterCode, int limit) {
		return this.store.findPage(afterCode, limit);
	}

	@Override
	public List<Room> findAll() {
		return this.store.findAll().stream().filter(OutboxRoomRepository::isOpen).toList();
	}

	@Override
	public List<Room> findPage(String afterCode, int limit) {
		String after = afterCode;
		while (true) {
			List<Room> page = this.store.findPage(after, limit);
			if (page.isEmpty()) {
				return page;
			}
			List<Room> open = new ArrayList<>(page.size());
			for (Room room : page) {
				if (isOpen(room)) {
					open.add(room);
				}
			}
			if (!open.isEmpty()) {
				return open;
			}
			after = page.get(page.size() - 1).code();
		}
	}

	@Override
	public int count() {
		return this.store.count();
	}

	@Override
	public List<String> findInactiveSince(Instant cutoff, int limit) {
		return this.store.findInactiveSince(cutoff, limit);
	}

	@Override
	public List<String> findUnwarnedInactiveSince(Instant cutoff, int limit) {
		return this.store.findUnwarnedInactiveSince(cutoff, limit);
	}

	@Override
	public List<String> findWithMembersDisconnectedSince(Instant cutoff, int limit) {
		return this.store.findWithMembersDisconnectedSince(cutoff, limit);
	}

	@Override
	public List<String> findWithoutConnectedMembers(int limit) {
		return this.store.findWithoutConnectedMembers(limit);
	}

	@Override
	public void flush() {
		this.store.flush();
	}

	@Override
	public void flushChanges(Collection<String> codes) {
		this.store.flushChanges(codes);
	}

	@Override
	public boolean changesStored(String code) {
		return this.store.changesStored(code);
	}

	@Override
	public String type() {
		return this.store.type();
	}

}
