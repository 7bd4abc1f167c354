package dev.roomkeeper.store.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What a file store directory holds for a room, as a restart would load it: the room
 * file, overlaid by the last journal record of the room. Reads only; cuts nothing.
 */
public final class DiskView {

	private DiskView() {
	}

	/**
	 * The room's JSON as stored, or {@code null} if the disk holds no such room.
	 */
	public static String json(Path dir, String code) {
		Map<String, String> latest = new HashMap<>();
		Map<String, Boolean> deleted = new HashMap<>();
		try {
			JournalReader.replay(dir, (kind, recordCode, segment, offset, length) -> {
				if (kind == RoomJournal.PUT) {
					latest.put(recordCode, new String(segment, offset, length, StandardCharsets.UTF_8));
					deleted.remove(recordCode);
				}
				else if (kind == RoomJournal.DELETE) {
					latest.remove(recordCode);
					deleted.put(recordCode, true);
				}
			}, false);
			if (latest.containsKey(code)) {
				return latest.get(code);
			}
			if (deleted.containsKey(code)) {
				return null;
			}
			Path file = dir.resolve(code + RoomFiles.SUFFIX);
			return Files.exists(file) ? Files.readString(file) : null;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Whether the disk holds the room (its file, or a journal record, not deleted). */
	public static boolean exists(Path dir, String code) {
		return json(dir, code) != null;
	}

}
