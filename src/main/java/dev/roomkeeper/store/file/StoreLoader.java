package dev.roomkeeper.store.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.roomkeeper.room.Member;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.StoreStartupException;
import dev.roomkeeper.system.LogLine;

/**
 * Loads the file store at start-up: the room files (in parallel), then the journal over
 * them. See {@link JsonFileRoomRepository} for what is set aside and why.
 */
final class StoreLoader {

	private static final Log log = LogFactory.getLog(StoreLoader.class);

	/** Names in the store directory that are the store's own, not rooms. */
	private static final Set<String> OWN = Set.of(".lock", JsonFileRoomRepository.CLEAN_STOP_MARKER, "corrupt",
			RoomJournal.DIR);

	private final RoomFiles files;

	StoreLoader(RoomFiles files) {
		this.files = files;
	}

	/**
	 * What was loaded.
	 *
	 * @param rooms the rooms, members disconnected, seq raised if asked
	 * @param dirty the codes whose room file is older than the journal (a checkpoint must
	 * write them before the journal's segments may go)
	 * @param nextSegment the number of the journal's next segment
	 * @param raised whether every seq was raised now (the caller journals that)
	 */
	record Loaded(Collection<Room> rooms, Set<String> dirty, long nextSegment, boolean raised) {
	}

	/**
	 * The journal's records of one room since its last whole version: that version's JSON
	 * ({@code null}: the room file's, if {@code onFile}, else none: deleted), then the
	 * {@link HistoryTail}s written after it, in order.
	 */
	private static final class Latest {

		private final byte[] json;

		private final boolean onFile;

		private final List<byte[]> tails = new ArrayList<>(1);

		private int raisesBefore;

		Latest(byte[] json, boolean onFile, int raisesBefore) {
			this.json = json;
			this.onFile = onFile;
			this.raisesBefore = raisesBefore;
		}

		/** Whether the room file is older than the journal and need not be read. */
		boolean replacesFile() {
			return !this.onFile;
		}

	}

	Loaded load(Instant now, boolean raiseSeq, long margin) {
		long started = System.nanoTime();
		Path dir = this.files.dir();
		List<Path> candidates = new ArrayList<>();
		List<Path> misnamed = new ArrayList<>();
		int tempFiles = 0;
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
			for (Path file : entries) {
				String name = file.getFileName().toString();
				if (OWN.contains(name)) {
					continue;
				}
				if (name.endsWith(RoomFiles.TEMP_SUFFIX) && RoomFiles.codeOf(
						name.substring(0, name.length() - RoomFiles.TEMP_SUFFIX.length()) + RoomFiles.SUFFIX) != null) {
					Files.deleteIfExists(file);
					tempFiles++;
				}
				else if (RoomFiles.codeOf(name) != null) {
					candidates.add(file);
				}
				else if (name.endsWith(RoomFiles.SUFFIX) || name.endsWith(RoomFiles.TEMP_SUFFIX)) {
					misnamed.add(file);
				}
			}
		}
		catch (IOException ex) {
			throw new StoreStartupException("Cannot read the store directory " + dir.toAbsolutePath()
					+ " (rooms.store.dir): " + ex.getMessage(), ex);
		}
		Replay replay = readJournal();
		Map<String, String> corrupt = new ConcurrentHashMap<>();
		Map<String, Room> rooms = new ConcurrentHashMap<>();
		candidates.parallelStream().forEach((file) -> {
			String name = file.getFileName().toString();
			Latest latest = replay.latest.get(RoomFiles.codeOf(name));
			if (latest != null && latest.replacesFile()) {
				// the journal has a newer whole version (or the deletion): the file is
				// not read, and the first checkpoint replaces it
				return;
			}
			try {
				Room room = this.files.read(file);
				rooms.put(room.code(), room);
				OwnerOnly.file(file);
			}
			catch (IOException ex) {
				log.warn(LogLine.of("store-file-permissions-not-set")
					.with("file", name)
					.with("error", ex.getClass().getSimpleName()));
			}
			catch (RoomFiles.CorruptRoomFileException ex) {
				// the read never follows a link: say what the entry is instead
				String kind = kindOf(file);
				if (!"a directory".equals(kind)) {
					corrupt.put(name, (kind != null) ? kind : ex.getMessage());
				}
			}
		});
		for (Path file : misnamed) {
			corrupt.put(file.getFileName().toString(), "the name is not CODE.json for an upper-case room code");
		}
		for (Map.Entry<String, String> entry : corrupt.entrySet()) {
			setAside(dir.resolve(entry.getKey()), entry.getValue(), now);
		}
		long filesMillis = (System.nanoTime() - started) / 1_000_000;

		apply(replay, rooms);
		boolean raise = raiseSeq && !rooms.isEmpty();
		Set<String> dirty = (replay.raises > 0 || raise) ? new HashSet<>(rooms.keySet()) : new HashSet<>();
		dirty.addAll(replay.codes);
		List<Room> loaded = new ArrayList<>(rooms.size());
		for (Room room : rooms.values()) {
			Room next = disconnectEveryone(room, now);
			if (raise) {
				// events that clients saw may be lost: the history cannot vouch for them
				next = next.edit().seq(next.seq() + margin).history(next.history().withNewEpoch()).build();
			}
			loaded.add(next);
		}
		log.info(LogLine.of("store-loaded")
			.with("store", "file")
			.with("dir", dir.toAbsolutePath())
			.with("rooms", loaded.size())
			.with("millis", (System.nanoTime() - started) / 1_000_000)
			.with("filesMillis", filesMillis)
			.with("corrupt", corrupt.size())
			.with("tempFilesRemoved", tempFiles)
			.with("journalSegments", replay.result.segments())
			.with("journalRecords", replay.result.records())
			.with("journalTornTails", replay.result.tornTails())
			.with("journalBytesCut", replay.result.bytesCut())
			.with("cleanStop", !raiseSeq)
			.with("seqRaised", raise ? loaded.size() : 0));
		return new Loaded(loaded, dirty, replay.result.lastSegment() + 1, raise);
	}

	private static final class Replay {

		private JournalReader.Result result;

		private int raises;

		private long margin = JsonFileRoomRepository.SEQ_MARGIN_AFTER_CRASH;

		private final Map<String, Latest> latest = new HashMap<>();

		private final Set<String> codes = new HashSet<>();

	}

	/** Reads the journal: the last record of every room, and the seq raises. */
	private Replay readJournal() {
		Replay replay = new Replay();
		try {
			replay.result = JournalReader.replay(this.files.dir(), (kind, code, json) -> {
				if (kind == RoomJournal.RAISE_SEQ) {
					replay.raises++;
					replay.margin = parseMargin(json, replay.margin);
					return;
				}
				if (RoomFiles.codeOf(code + RoomFiles.SUFFIX) == null) {
					log.warn(LogLine.of("store-journal-record-skipped").with("reason", "not a room code"));
					return;
				}
				if (kind == RoomJournal.TAIL) {
					Latest latest = replay.latest.get(code);
					if (latest == null) {
						// the earlier events are in the room file
						latest = new Latest(null, true, replay.raises);
						replay.latest.put(code, latest);
					}
					latest.tails.add(json);
					latest.raisesBefore = replay.raises;
					return;
				}
				replay.latest.put(code, new Latest(json, false, replay.raises));
			}, true);
		}
		catch (IOException ex) {
			log.error(LogLine.of("store-journal-unreadable").with("error", ex.getClass().getSimpleName()));
			replay.result = new JournalReader.Result(0, 0, 0, 0, 0);
			try {
				List<Long> numbers = RoomJournal.segmentNumbers(this.files.dir());
				if (!numbers.isEmpty()) {
					replay.result = new JournalReader.Result(0, 0, 0, 0, numbers.get(numbers.size() - 1));
				}
			}
			catch (IOException ignored) {
				// the next segment starts at 1; creating it fails loudly if it exists
			}
		}
		replay.codes.addAll(replay.latest.keySet());
		return replay;
	}

	/**
	 * Applies the journal to the rooms of the files: the last whole record of a room wins
	 * (its JSON parsed in parallel), the history tails written after it add their events,
	 * the last of them gives the rest of the room, and every seq raise recorded after it
	 * (or any, for a room only in a file) is applied.
	 */
	private void apply(Replay replay, Map<String, Room> rooms) {
		if (replay.raises > 0) {
			for (Map.Entry<String, Room> entry : rooms.entrySet()) {
				Room room = entry.getValue();
				entry.setValue(room.edit().seq(room.seq() + replay.margin * replay.raises).build());
			}
		}
		replay.latest.entrySet().parallelStream().forEach((entry) -> {
			String code = entry.getKey();
			Latest record = entry.getValue();
			if (record.json == null && !record.onFile && record.tails.isEmpty()) {
				return;
			}
			try {
				Room room = (record.json != null) ? this.files.parse(record.json, code) : rooms.get(code);
				for (byte[] payload : record.tails) {
					HistoryTail tail = HistoryTail.of(payload);
					room = tail.applyTo(room, this.files.parse(tail.json(), code));
				}
				int raises = replay.raises - record.raisesBefore;
				rooms.put(code, (raises == 0) ? room : room.edit().seq(room.seq() + replay.margin * raises).build());
			}
			catch (RoomFiles.CorruptRoomFileException ex) {
				log.warn(LogLine.of("store-journal-record-skipped")
					.with("room", code)
					.with("reason", ex.getMessage())
					.with("instead", "the room file, if any"));
				try {
					Room room = this.files.read(this.files.fileOf(code));
					rooms.put(code, room.edit().seq(room.seq() + replay.margin * replay.raises).build());
				}
				catch (RoomFiles.CorruptRoomFileException unreadable) {
					// no usable version of the room: it is not loaded
				}
			}
		});
		replay.latest.clear();
	}

	private static long parseMargin(byte[] json, long fallback) {
		try {
			return (json != null) ? Long.parseLong(new String(json, StandardCharsets.US_ASCII)) : fallback;
		}
		catch (NumberFormatException ex) {
			return fallback;
		}
	}

	private void setAside(Path file, String reason, Instant now) {
		try {
			Path corrupt = OwnerOnly.createDirectory(this.files.dir().resolve("corrupt"));
			Path target = corrupt.resolve(file.getFileName() + "." + now.toEpochMilli());
			Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
			log.warn(LogLine.of("store-file-set-aside")
				.with("file", file.getFileName())
				.with("movedTo", "corrupt/" + target.getFileName())
				.with("reason", reason));
		}
		catch (IOException ex) {
			log.warn(LogLine.of("store-file-set-aside-failed")
				.with("file", file.getFileName())
				.with("reason", reason)
				.with("error", ex.getClass().getSimpleName()));
		}
	}

	/** What a directory entry is if not a regular file, or {@code null}. */
	private static String kindOf(Path file) {
		try {
			BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
					LinkOption.NOFOLLOW_LINKS);
			if (attributes.isSymbolicLink()) {
				return "a symbolic link (never followed)";
			}
			if (attributes.isDirectory()) {
				return "a directory";
			}
			return attributes.isRegularFile() ? null : "not a regular file";
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static Room disconnectEveryone(Room room, Instant now) {
		if (room.members().stream().noneMatch(Member::connected)) {
			return room;
		}
		return room.edit()
			.members(room.members()
				.stream()
				.map((member) -> member.connected() ? member.withPresence(false, now) : member)
				.toList())
			.build();
	}

}
