package dev.roomkeeper.store.file;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.roomkeeper.room.HistoryEvent;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomHistory;

/**
 * What the journal already holds of each room's history, so that a room's record carries
 * only the events after it ({@link RoomJournal#TAIL}) instead of the whole history each
 * time: with a full history of 100 events a room's record is ~50 times smaller.
 * <p>
 * A room's first record (after start-up, or once its history got a new epoch or went
 * back) is a whole {@link RoomJournal#PUT}; later ones are tails after the last event
 * journaled. The marks advance only once a batch is on disk ({@link #stored}): a batch
 * that failed is written again from the same point. Used by the writer thread only.
 */
final class JournaledHistories {

	/** The epoch and the seq of the last event journaled for a room. */
	private record Mark(String epoch, long lastSeq) {
	}

	private final Map<String, Mark> marks = new HashMap<>();

	private final Map<String, Mark> pending = new HashMap<>();

	private final RoomFiles files;

	JournaledHistories(RoomFiles files) {
		this.files = files;
	}

	/** The record for the room's current version. */
	RoomJournal.Entry entryFor(Room room) {
		String code = room.code();
		RoomHistory history = room.history();
		List<HistoryEvent> events = history.events();
		if (events.isEmpty()) {
			RoomJournal.Entry entry = RoomJournal.Entry.put(code, this.files.json(room));
			this.pending.put(code, null);
			return entry;
		}
		long lastSeq = events.get(events.size() - 1).seq();
		Mark mark = this.marks.get(code);
		int newer = (mark != null && mark.epoch().equals(history.epoch()) && mark.lastSeq() <= lastSeq)
				? countAfter(events, mark.lastSeq()) : events.size();
		RoomJournal.Entry entry;
		if (newer == events.size()) {
			entry = RoomJournal.Entry.put(code, this.files.json(room));
		}
		else {
			Room tail = room
				.withHistory(new RoomHistory(history.epoch(), events.subList(events.size() - newer, events.size())));
			entry = RoomJournal.Entry.tail(code,
					new HistoryTail(mark.lastSeq(), events.size(), this.files.json(tail)).payload());
		}
		// only once the record exists: a room that could not be serialised keeps its mark
		this.pending.put(code, new Mark(history.epoch(), lastSeq));
		return entry;
	}

	/** The room is gone: its next record, if it comes back, is a whole one. */
	void deleted(String code) {
		this.pending.put(code, null);
	}

	/** The records handed out since the last call are on disk. */
	void stored() {
		for (Map.Entry<String, Mark> entry : this.pending.entrySet()) {
			if (entry.getValue() == null) {
				this.marks.remove(entry.getKey());
			}
			else {
				this.marks.put(entry.getKey(), entry.getValue());
			}
		}
		this.pending.clear();
	}

	/** The records handed out since the last call may not be on disk. */
	void notStored() {
		this.pending.clear();
	}

	private static int countAfter(List<HistoryEvent> events, long seq) {
		int newer = 0;
		for (int i = events.size() - 1; i >= 0 && events.get(i).seq() > seq; i--) {
			newer++;
		}
		return newer;
	}

}
