package dev.roomkeeper.live;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.room.BroadcastRequest;
import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.PresenceRequest;
import dev.roomkeeper.room.RoomService;
import dev.roomkeeper.room.StatePatchRequest;
import dev.roomkeeper.system.JsonFields;
import dev.roomkeeper.system.ProblemCode;
import dev.roomkeeper.system.RoomkeeperException;

/**
 * The room actions a live connection may SEND to {@code /app/rooms/{code}/...}: parses
 * the destination and the JSON body into the same request objects the REST API uses and
 * performs them through {@link RoomService}, which checks the connection's credential
 * against the room again. A broadcast's {@code data} is kept as sent when its body is
 * plain ({@link BroadcastRequest#read}). Failures are thrown as
 * {@link RoomkeeperException} (or Jackson's exception for a body that is not JSON); the
 * session answers them with an {@code error} event. Holds no state of its own: one
 * instance serves every connection.
 */
final class LiveRoomActions {

	private final RoomService rooms;

	private final JsonMapper jsonMapper;

	LiveRoomActions(RoomService rooms, JsonMapper jsonMapper) {
		this.rooms = rooms;
		this.jsonMapper = jsonMapper;
	}

	/**
	 * Performs a SEND of a connection acting with {@code credential} (its token, hashed
	 * once when it connected) in room {@code code}.
	 * @param sendSnapshot called for {@code /app/rooms/{code}/snapshot}: the session
	 * sends the snapshot, which must be ordered with its subscriptions' events
	 * @param lateFailure when not {@code null}, a broadcast may still be on its way to
	 * the store when this returns ({@link RoomService#broadcastInBackground}), and a
	 * failure found then is given to it; when {@code null}, every action is finished on
	 * return (the frame asked for a receipt)
	 */
	void perform(String code, RoomService.Credential credential, String destination, byte[] body, Runnable sendSnapshot,
			Consumer<RuntimeException> lateFailure) {
		LiveDestinations.AppDestination target = LiveDestinations.parseSend(destination);
		if (!target.isApp()) {
			throw new RoomkeeperException(ProblemCode.FORBIDDEN,
					"SEND only to /app/rooms/{code}/state, broadcast, presence, keep-alive or snapshot");
		}
		if (!target.code().equals(code)) {
			throw new RoomkeeperException(ProblemCode.FORBIDDEN, "This connection acts for room " + code + " only");
		}
		if (target.action() == null) {
			throw new RoomkeeperException(ProblemCode.NOT_FOUND, "No such destination");
		}
		switch (target.action()) {
			case STATE -> this.rooms.patchState(code, credential,
					StatePatchRequest.from(JsonFields.read(this.jsonMapper, body)), Durability.DEFERRED);
			case BROADCAST ->
				broadcast(code, credential, BroadcastRequest.read(this.jsonMapper, body).data(), lateFailure);
			case PRESENCE -> this.rooms.updatePresence(code, credential,
					PresenceRequest.from(JsonFields.read(this.jsonMapper, body)).metadata());
			case KEEP_ALIVE -> {
				JsonFields.of(JsonFields.read(this.jsonMapper, body));
				this.rooms.keepAlive(code, credential, Durability.ACTIVITY);
			}
			case SNAPSHOT -> {
				JsonFields.of(JsonFields.read(this.jsonMapper, body));
				sendSnapshot.run();
			}
		}
	}

	private void broadcast(String code, RoomService.Credential credential, JsonNode data,
			Consumer<RuntimeException> lateFailure) {
		if (lateFailure == null) {
			this.rooms.broadcast(code, credential, data);
			return;
		}
		CompletableFuture<Void> stored = this.rooms.broadcastInBackground(code, credential, data).toCompletableFuture();
		if (stored.isDone()) {
			// Stored already (the local stores): a failure is reported as for any frame.
			try {
				stored.join();
			}
			catch (CompletionException ex) {
				throw runtime(ex.getCause());
			}
			return;
		}
		stored.whenComplete((done, failure) -> {
			if (failure != null) {
				lateFailure.accept(runtime((failure instanceof CompletionException) ? failure.getCause() : failure));
			}
		});
	}

	private static RuntimeException runtime(Throwable failure) {
		return (failure instanceof RuntimeException runtime) ? runtime : new IllegalStateException(failure);
	}

}
