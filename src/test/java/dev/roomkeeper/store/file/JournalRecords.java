package dev.roomkeeper.store.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Sizes of the room records a file store's journal holds now, for benchmarks. Reads only;
 * cuts nothing.
 */
public final class JournalRecords {

	private JournalRecords() {
	}

	/**
	 * The mean size on disk of the journal's room records (puts and history tails, with
	 * their length, checksum, kind and code), or 0 if it holds none.
	 */
	public static double meanRoomRecordBytes(Path dir) {
		long[] countAndBytes = new long[2];
		try {
			JournalReader.replay(dir, (kind, code, segment, offset, length) -> {
				byte[] json = (length > 0) ? java.util.Arrays.copyOfRange(segment, offset, offset + length) : null;
				if ((kind == RoomJournal.PUT || kind == RoomJournal.TAIL) && json != null) {
					countAndBytes[0]++;
					countAndBytes[1] += RoomJournal.RECORD_HEADER + 2 + code.length() + json.length;
				}
			}, false);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return (countAndBytes[0] == 0) ? 0 : (double) countAndBytes[1] / countAndBytes[0];
	}

}
