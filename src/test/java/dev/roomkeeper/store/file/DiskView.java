package dev.roomkeeper.store.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.room.Room;

/**
 * What a file store directory holds for a room, as a restart would load it: the room
 * file, overlaid by the last whole journal record of the room and the history tails after
 * it. Reads only; cuts nothing.
 */
public final class DiskView {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private DiskView() {
	}

	/**
	 * The room's JSON as stored, or {@code null} if the disk holds no such room.
	 */
	public static String json(Path dir, String code) {
		Map<String, byte[]> latest = new HashMap<>();
		Map<String, Boolean> deleted = new HashMap<>();
		Map<String, List<byte[]>> tails = new HashMap<>();
		try {
			JournalReader.replay(dir, (kind, recordCode, segment, offset, length) -> {
				byte[] json = (length > 0) ? Arrays.copyOfRange(segment, offset, offset + length) : null;
				if (kind == RoomJournal.PUT) {
					latest.put(recordCode, json);
					deleted.remove(recordCode);
					tails.remove(recordCode);
				}
				else if (kind == RoomJournal.TAIL) {
					tails.computeIfAbsent(recordCode, (key) -> new ArrayList<>()).add(json);
				}
				else if (kind == RoomJournal.DELETE) {
					latest.remove(recordCode);
					tails.remove(recordCode);
					deleted.put(recordCode, true);
				}
			}, false);
			byte[] base;
			if (latest.containsKey(code)) {
				base = latest.get(code);
			}
			else if (deleted.containsKey(code)) {
				return null;
			}
			else {
				Path file = dir.resolve(code + RoomFiles.SUFFIX);
				base = Files.exists(file) ? Files.readAllBytes(file) : null;
			}
			if (!tails.containsKey(code)) {
				return (base != null) ? new String(base, StandardCharsets.UTF_8) : null;
			}
			RoomFiles files = new RoomFiles(dir, JSON);
			Room room = (base != null) ? files.parse(base, code) : null;
			for (byte[] payload : tails.get(code)) {
				HistoryTail tail = HistoryTail.of(payload);
				room = tail.applyTo(room, files.parse(tail.json(), code));
			}
			return new String(files.json(room), StandardCharsets.UTF_8);
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
