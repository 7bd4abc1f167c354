package dev.roomkeeper.history;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Service;

import dev.roomkeeper.room.Caller;
import dev.roomkeeper.room.HistoryEvent;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomCodes;
import dev.roomkeeper.room.RoomHistory;
import dev.roomkeeper.room.RoomProperties;
import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.room.RoomService;
import dev.roomkeeper.system.ProblemCode;
import dev.roomkeeper.system.RoomkeeperException;

/**
 * Reads rooms' histories: a page of events for the REST API, and the events a
 * reconnecting live client missed.
 * <p>
 * Recovery is all or nothing: it is offered only when history is on, the client's epoch
 * is the room's, and the history holds every event after the client's seq up to the
 * room's seq with none missing. Anything else (a gap larger than the history, another
 * epoch, a seq jump after a crash) answers empty, and the caller sends a snapshot: a
 * client is never told it recovered when it did not.
 */
@Service
public class RoomHistoryService {

	/** The most events one {@code GET /api/rooms/{code}/events} returns. */
	public static final int MAX_LIMIT = 1000;

	/** Events returned when no {@code limit} is given. */
	public static final int DEFAULT_LIMIT = 100;

	private final RoomRepository repository;

	private final RoomService rooms;

	private final RoomProperties properties;

	private final Clock clock;

	public RoomHistoryService(RoomRepository repository, RoomService rooms, RoomProperties properties, Clock clock) {
		this.repository = repository;
		this.rooms = rooms;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * A room's events after {@code since} for a member or the owner. Counts as activity
	 * (like every API call with a token).
	 * @param since the last seq the caller has, or {@code null} for the latest
	 * {@code limit} events
	 * @param limit 1 to {@value #MAX_LIMIT}
	 * @throws RoomkeeperException {@code unauthorized}, {@code room-not-found}
	 */
	public EventsPage events(String code, String token, Long since, int limit) {
		Room touched = this.rooms.lookUpWithToken(code, token);
		Room room = this.repository.findWithHistory(touched.code())
			.filter((found) -> !this.rooms.isExpired(found, this.clock.instant()))
			.orElseThrow(() -> RoomkeeperException.roomNotFound(touched.code()));
		RoomHistory.Page page = room.history().after(since, room.seq(), limit);
		return new EventsPage(room.epoch(), room.seq(), page.complete(), page.events());
	}

	/**
	 * The events a live client missed, or empty when they cannot all be recovered (the
	 * client then gets a snapshot). Not activity.
	 * @param since the last seq the client has
	 * @param epoch the epoch the client saw
	 * @param credential the connection's token, hashed when it connected
	 * @throws RoomkeeperException {@code unauthorized} if the token is not one of the
	 * room's, {@code room-not-found} if the room is not open
	 */
	public Optional<Recovery> recover(String code, RoomService.Credential credential, long since, String epoch) {
		String normalized = RoomCodes.normalizeIfValid(code).orElseThrow(() -> RoomkeeperException.roomNotFound(code));
		Room room = this.repository.findWithHistory(normalized)
			.filter((found) -> !this.rooms.isExpired(found, this.clock.instant()))
			.orElseThrow(() -> RoomkeeperException.roomNotFound(normalized));
		if (credential.server() || Caller.of(room, credential.tokenHash()).isEmpty()) {
			throw new RoomkeeperException(ProblemCode.UNAUTHORIZED, "A member or owner token of this room is required");
		}
		if (this.properties.getHistory().getSize() <= 0 || !room.epoch().equals(epoch) || since < 0) {
			return Optional.empty();
		}
		RoomHistory.Page page = room.history().after(since, room.seq(), Integer.MAX_VALUE);
		if (!page.complete()) {
			return Optional.empty();
		}
		return Optional.of(new Recovery(room.code(), since, room.seq(), page.events()));
	}

	/**
	 * The answer of {@code GET /api/rooms/{code}/events}.
	 *
	 * @param epoch the room's epoch
	 * @param seq the room's current seq
	 * @param complete whether no event after {@code since} is missing
	 * @param events the events, oldest first
	 */
	public record EventsPage(String epoch, long seq, boolean complete, List<HistoryEvent> events) {
	}

	/**
	 * Every event a client missed.
	 *
	 * @param room the room code
	 * @param since the client's last seq
	 * @param seq the room's seq: the last event's
	 * @param events the events after {@code since}, in seq order
	 */
	public record Recovery(String room, long since, long seq, List<HistoryEvent> events) {
	}

}
