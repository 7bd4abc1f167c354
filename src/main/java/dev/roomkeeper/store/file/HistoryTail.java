package dev.roomkeeper.store.file;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.roomkeeper.room.HistoryEvent;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomHistory;

/**
 * The payload of a {@link RoomJournal#TAIL} record: a 12-byte header, then the room's
 * JSON whose history holds only the newest events.
 * <p>
 * The header is {@code after} (8 bytes, big-endian: the seq of the last event the journal
 * held for the room before this record; the record's events all come after it) and
 * {@code kept} (4 bytes: how many events the room's whole history held). Replay keeps the
 * events of the room's previous version up to {@code after}, adds the record's events,
 * and keeps the last {@code kept}: the history the room had in memory when the record was
 * written. If the previous version lacks events up to {@code after} (it cannot, unless
 * the disk lost them), the history has a gap that {@link RoomHistory#after} reports as
 * incomplete, so no client is told it recovered across it.
 *
 * @param after the seq of the last event journaled before
 * @param kept the size of the room's history
 * @param json the room's JSON with the newer events only
 */
record HistoryTail(long after, int kept, byte[] json) {

	static final int HEADER = 12;

	/** The payload of the record. */
	byte[] payload() {
		return ByteBuffer.allocate(HEADER + this.json.length)
			.putLong(this.after)
			.putInt(this.kept)
			.put(this.json)
			.array();
	}

	/**
	 * Reads a record's payload.
	 * @throws RoomFiles.CorruptRoomFileException if it is too short or its numbers are
	 * out of range
	 */
	static HistoryTail of(byte[] payload) {
		if (payload == null || payload.length <= HEADER) {
			throw new RoomFiles.CorruptRoomFileException("a history tail record that is too short");
		}
		ByteBuffer header = ByteBuffer.wrap(payload, 0, HEADER);
		long after = header.getLong();
		int kept = header.getInt();
		if (kept < 0) {
			throw new RoomFiles.CorruptRoomFileException("a history tail record with a negative size");
		}
		return new HistoryTail(after, kept, Arrays.copyOfRange(payload, HEADER, payload.length));
	}

	/**
	 * The room of this record with its whole history: the events of {@code previous} (the
	 * room's version before this record, or {@code null} if none is known) up to
	 * {@link #after}, then the record's own.
	 * @param tailRoom the room parsed from {@link #json}
	 */
	Room applyTo(Room previous, Room tailRoom) {
		RoomHistory tail = tailRoom.history();
		List<HistoryEvent> events = new ArrayList<>();
		if (previous != null && previous.history().epoch().equals(tail.epoch())) {
			for (HistoryEvent event : previous.history().events()) {
				if (event.seq() <= this.after) {
					events.add(event);
				}
			}
		}
		events.addAll(tail.events());
		List<HistoryEvent> kept = (events.size() > this.kept) ? events.subList(events.size() - this.kept, events.size())
				: events;
		return tailRoom.withHistory(new RoomHistory(tail.epoch(), kept));
	}

}
