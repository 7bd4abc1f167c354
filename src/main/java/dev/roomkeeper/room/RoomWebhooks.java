package dev.roomkeeper.room;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A room's webhook outbox: the webhooks its changes raised that are not delivered yet,
 * stored in the same write as the change that raised them (the room file, the Redis write
 * script), so a crash delays them but never loses them, and a change that was not stored
 * raised none.
 * <p>
 * A room that closes while webhooks are pending is kept by its store as a <em>closed
 * room</em> ({@code closedAt} set) that holds only its outbox: every look-up and change
 * treats it as gone, and the delivery removes it once its outbox is empty. A new room
 * with the same code takes the outbox over, so order per code is kept.
 *
 * @param closedAt when the room closed, for a closed room kept for its outbox; else
 * {@code null}
 * @param pending webhooks still to deliver (or failed), in the order they were raised
 */
public record RoomWebhooks(Instant closedAt, List<PendingWebhook> pending) {

	/** No webhooks. */
	public static final RoomWebhooks NONE = new RoomWebhooks(null, List.of());

	public RoomWebhooks {
		pending = (pending != null) ? List.copyOf(pending) : List.of();
	}

	@JsonIgnore
	public boolean isEmpty() {
		return this.pending.isEmpty();
	}

	/** Whether this is the outbox of a room that closed (the room itself is gone). */
	@JsonIgnore
	public boolean isClosed() {
		return this.closedAt != null;
	}

	public RoomWebhooks closed(Instant at) {
		return new RoomWebhooks(at, this.pending);
	}

	public RoomWebhooks open() {
		return new RoomWebhooks(null, this.pending);
	}

	public RoomWebhooks plus(List<PendingWebhook> more) {
		if (more.isEmpty()) {
			return this;
		}
		List<PendingWebhook> all = new ArrayList<>(this.pending);
		all.addAll(more);
		return new RoomWebhooks(this.closedAt, all);
	}

	/** The outbox after webhook {@code id} was delivered to {@code endpoint}. */
	public RoomWebhooks delivered(String id, String endpoint) {
		return replace(id, (webhook) -> webhook.without(endpoint));
	}

	/**
	 * The outbox after every webhook of {@code ids} was delivered to {@code endpoint}
	 * (one store write acknowledges a batch of deliveries).
	 */
	public RoomWebhooks delivered(Collection<String> ids, String endpoint) {
		if (ids.isEmpty()) {
			return this;
		}
		Set<String> done = (ids instanceof Set<String> set) ? set : Set.copyOf(ids);
		List<PendingWebhook> all = new ArrayList<>(this.pending.size());
		for (PendingWebhook webhook : this.pending) {
			PendingWebhook changed = done.contains(webhook.id()) ? webhook.without(endpoint) : webhook;
			if (!changed.isDone()) {
				all.add(changed);
			}
		}
		return new RoomWebhooks(this.closedAt, all);
	}

	/** The outbox after webhook {@code id} gave up on {@code endpoint}. */
	public RoomWebhooks failed(String id, String endpoint, int attempts, String lastError, Instant at) {
		return replace(id, (webhook) -> webhook.failedFor(endpoint, attempts, lastError, at));
	}

	/** The outbox with a failed delivery of webhook {@code id} to be tried again. */
	public RoomWebhooks retried(String id, String endpoint) {
		return replace(id, (webhook) -> webhook.retriedFor(endpoint));
	}

	/** The first webhook still to be delivered to {@code endpoint}, in raised order. */
	public PendingWebhook nextFor(String endpoint) {
		for (PendingWebhook webhook : this.pending) {
			if (webhook.endpoints().contains(endpoint)) {
				return webhook;
			}
		}
		return null;
	}

	/**
	 * The webhooks still to be delivered to {@code endpoint}, in raised order (the order
	 * they must be sent in).
	 */
	public List<PendingWebhook> pendingFor(String endpoint) {
		List<PendingWebhook> due = new ArrayList<>();
		for (PendingWebhook webhook : this.pending) {
			if (webhook.endpoints().contains(endpoint)) {
				due.add(webhook);
			}
		}
		return due;
	}

	private RoomWebhooks replace(String id, java.util.function.UnaryOperator<PendingWebhook> change) {
		List<PendingWebhook> all = new ArrayList<>(this.pending.size());
		for (PendingWebhook webhook : this.pending) {
			if (webhook.id().equals(id)) {
				PendingWebhook changed = change.apply(webhook);
				if (!changed.isDone()) {
					all.add(changed);
				}
			}
			else {
				all.add(webhook);
			}
		}
		return new RoomWebhooks(this.closedAt, all);
	}

	/**
	 * One webhook of a room: its body is fixed when it is raised, so every retry sends
	 * the same bytes.
	 *
	 * @param id the event's id (the {@code webhook-id} adds the endpoint to it)
	 * @param type e.g. {@code member.joined}
	 * @param seq the room event's seq
	 * @param timestamp when the event happened
	 * @param body the JSON body to send
	 * @param endpoints keys of the endpoints it still has to reach
	 * @param failed endpoints it gave up on (kept until retried from the admin API)
	 */
	public record PendingWebhook(String id, String type, long seq, Instant timestamp, String body,
			List<String> endpoints, List<FailedDelivery> failed) {

		public PendingWebhook {
			endpoints = (endpoints != null) ? List.copyOf(endpoints) : List.of();
			failed = (failed != null) ? List.copyOf(failed) : List.of();
		}

		@JsonIgnore
		public boolean isDone() {
			return this.endpoints.isEmpty() && this.failed.isEmpty();
		}

		PendingWebhook without(String endpoint) {
			return new PendingWebhook(this.id, this.type, this.seq, this.timestamp, this.body,
					this.endpoints.stream().filter((key) -> !key.equals(endpoint)).toList(), this.failed);
		}

		PendingWebhook failedFor(String endpoint, int attempts, String lastError, Instant at) {
			if (!this.endpoints.contains(endpoint)) {
				return this;
			}
			List<FailedDelivery> failures = new ArrayList<>(this.failed);
			failures.add(new FailedDelivery(endpoint, attempts, lastError, at));
			return new PendingWebhook(this.id, this.type, this.seq, this.timestamp, this.body,
					this.endpoints.stream().filter((key) -> !key.equals(endpoint)).toList(), failures);
		}

		PendingWebhook retriedFor(String endpoint) {
			if (this.failed.stream().noneMatch((failure) -> failure.endpoint().equals(endpoint))) {
				return this;
			}
			List<String> endpoints = new ArrayList<>(this.endpoints);
			endpoints.add(endpoint);
			return new PendingWebhook(this.id, this.type, this.seq, this.timestamp, this.body, endpoints,
					this.failed.stream().filter((failure) -> !failure.endpoint().equals(endpoint)).toList());
		}

	}

	/** A delivery given up on after retrying for {@code rooms.webhooks.give-up-after}. */
	public record FailedDelivery(String endpoint, int attempts, String lastError, Instant failedAt) {

	}

}
