package dev.roomkeeper.admin;

import java.time.Clock;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomProperties;
import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.room.RoomService;
import dev.roomkeeper.system.LogLine;

/** Stores one room of an admin import, under the room rules of {@link RoomService}. */
@Component
class RoomImporter {

	private static final Log log = LogFactory.getLog(RoomImporter.class);

	private final RoomService rooms;

	private final RoomRepository repository;

	private final RoomProperties properties;

	private final Clock clock;

	RoomImporter(RoomService rooms, RoomRepository repository, RoomProperties properties, Clock clock) {
		this.rooms = rooms;
		this.repository = repository;
		this.properties = properties;
		this.clock = clock;
	}

	/** What {@link #importRoom} did with a room. */
	enum ImportOutcome {

		/** The room is stored, as it was exported. */
		IMPORTED,

		/** A room with this code exists; it was left as it is. */
		EXISTS,

		/** The room's idle timeout passed since its last activity; it was not stored. */
		EXPIRED,

		/** {@code rooms.max-rooms} rooms are open; nothing is evicted for an import. */
		CAPACITY

	}

	/**
	 * Restores a room exactly as it was exported (same code, tokens, password, state,
	 * {@code version}, {@code seq} and times), never replacing a room that exists. Its
	 * members come back disconnected, with {@code rooms.presence.stale-after} from now to
	 * reconnect, as after a restart. No event is raised: nobody can be subscribed to a
	 * room that did not exist. The room must already be valid (see the admin import).
	 * <p>
	 * The room's history comes back with a new epoch: the export may be older than what
	 * clients last saw (or hold no history at all), so nobody is told it recovered across
	 * an import.
	 */
	ImportOutcome importRoom(Room room) {
		Instant now = this.clock.instant();
		if (this.rooms.isExpired(room, now)) {
			return ImportOutcome.EXPIRED;
		}
		if (this.repository.count() >= this.properties.getMaxRooms()) {
			return ImportOutcome.CAPACITY;
		}
		Room disconnected = room.edit()
			.members(room.members()
				.stream()
				.map((member) -> member.connected() ? member.withPresence(false, now) : member)
				.toList())
			.history(room.history().withNewEpoch())
			.build();
		if (!this.repository.create(disconnected)) {
			return ImportOutcome.EXISTS;
		}
		log.info(LogLine.of("room-imported").with("room", room.code()).with("members", room.members().size()));
		return ImportOutcome.IMPORTED;
	}

}
