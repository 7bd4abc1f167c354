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
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;

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

	/** How many items a thread of {@link #inParallel} takes at a time. */
	private static final int CHUNK = 256;

	/** How many bytes of journal segments the replay keeps to parse records from. */
	static final long MAX_REFERRED_BYTES = 256L << 20;

	private final RoomFiles files;

	private final long maxReferredBytes;

	StoreLoader(RoomFiles files) {
		this(files, MAX_REFERRED_BYTES);
	}

	/**
	 * A loader that parses journal records from their segments while it keeps at most
	 * {@code maxReferredBytes} of segments, and from copies beyond that.
	 */
	StoreLoader(RoomFiles files, long maxReferredBytes) {
		this.files = files;
		this.maxReferredBytes = maxReferredBytes;
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
	 * The journal's records of one room since its last whole version: that version's
	 * JSON, {@code length} bytes of {@code segment} from {@code offset} (none: the room
	 * file's if {@code onFile}, else deleted), then the {@link HistoryTail}s written
	 * after it, in order, and the seq raises before the last of them.
	 */
	private static final class Latest {

		private final byte[] segment;

		private final int offset;

		private final int length;

		private final boolean onFile;

		private final List<byte[]> tails = new ArrayList<>(1);

		private int raisesBefore;

		Latest(byte[] segment, int offset, int length, boolean onFile, int raisesBefore) {
			this.segment = segment;
			this.offset = offset;
			this.length = length;
			this.onFile = onFile;
			this.raisesBefore = raisesBefore;
		}

		boolean deleted() {
			return this.length == 0 && !this.onFile && this.tails.isEmpty();
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
		// every room is finished (seq raises, members disconnected) where it is parsed,
		// in
		// parallel
		Finisher finisher = new Finisher(now, raiseSeq, margin, replay);
		Map<String, String> corrupt = new ConcurrentHashMap<>();
		Map<String, Room> rooms = new ConcurrentHashMap<>(Math.max(16, candidates.size() + replay.latest.size()));
		// rooms whose history tails in the journal go on top of their file: finished
		// later
		Map<String, Room> tailBases = new ConcurrentHashMap<>();
		inParallel(candidates, (file) -> {
			String name = file.getFileName().toString();
			Latest latest = replay.latest.get(RoomFiles.codeOf(name));
			if (latest != null && latest.replacesFile()) {
				// the journal has a newer whole version (or the deletion): the file is
				// not read, and the first checkpoint replaces it
				return;
			}
			try {
				Room room = this.files.read(file);
				if (latest != null) {
					tailBases.put(room.code(), room);
				}
				else {
					rooms.put(room.code(), finisher.finish(room, replay.raises));
				}
				OwnerOnly.existingFile(file);
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

		apply(replay, rooms, tailBases, finisher);
		boolean raise = raiseSeq && !rooms.isEmpty();
		Set<String> dirty = (replay.raises > 0 || raise) ? new HashSet<>(rooms.keySet()) : new HashSet<>();
		dirty.addAll(replay.codes);
		List<Room> loaded = new ArrayList<>(rooms.values());
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

		private final long maxReferredBytes;

		private JournalReader.Result result;

		private int raises;

		private long margin = JsonFileRoomRepository.SEQ_MARGIN_AFTER_CRASH;

		private final Map<String, Latest> latest = new HashMap<>();

		private final Set<String> codes = new HashSet<>();

		/** The segments that records refer to (by identity), and their bytes in all. */
		private final Set<byte[]> referred = Collections.newSetFromMap(new IdentityHashMap<>());

		private long referredBytes;

		Replay(long maxReferredBytes) {
			this.maxReferredBytes = maxReferredBytes;
		}

		/**
		 * The latest record of a room: a slice of its segment while the segments kept so
		 * are at most {@code maxReferredBytes} (a journal is normally one or two segments
		 * of 64 MiB), else a copy, so a long journal is not kept whole.
		 */
		Latest latest(byte[] segment, int offset, int length) {
			if (length == 0 || this.referred.contains(segment)
					|| this.referredBytes + segment.length <= this.maxReferredBytes) {
				if (length > 0 && this.referred.add(segment)) {
					this.referredBytes += segment.length;
				}
				return new Latest(segment, offset, length, false, this.raises);
			}
			return new Latest(Arrays.copyOfRange(segment, offset, offset + length), 0, length, false, this.raises);
		}

	}

	/** Reads the journal: the last record of every room, and the seq raises. */
	private Replay readJournal() {
		Replay replay = new Replay(this.maxReferredBytes);
		try {
			replay.result = JournalReader.replay(this.files.dir(), (kind, code, segment, offset, length) -> {
				if (kind == RoomJournal.RAISE_SEQ) {
					replay.raises++;
					replay.margin = parseMargin(segment, offset, length, replay.margin);
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
						latest = new Latest(null, 0, 0, true, replay.raises);
						replay.latest.put(code, latest);
					}
					latest.tails.add(Arrays.copyOfRange(segment, offset, offset + length));
					latest.raisesBefore = replay.raises;
					return;
				}
				replay.latest.put(code, replay.latest(segment, offset, length));
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
	 * (its JSON parsed in parallel), the history tails written after it add their events
	 * and the last of them gives the rest of the room, with every seq raise recorded
	 * after it; a room only in a file was given every raise when it was read.
	 * @param tailBases the rooms read from files that history tails go on top of
	 */
	private void apply(Replay replay, Map<String, Room> rooms, Map<String, Room> tailBases, Finisher finisher) {
		inParallel(new ArrayList<>(replay.latest.entrySet()), (entry) -> {
			String code = entry.getKey();
			Latest record = entry.getValue();
			if (record.deleted()) {
				return;
			}
			try {
				Room room = (record.length > 0) ? this.files.parse(record.segment, record.offset, record.length, code)
						: tailBases.get(code);
				for (byte[] payload : record.tails) {
					HistoryTail tail = HistoryTail.of(payload);
					room = tail.applyTo(room, this.files.parse(tail.json(), code));
				}
				rooms.put(code, finisher.finish(room, replay.raises - record.raisesBefore));
			}
			catch (RoomFiles.CorruptRoomFileException ex) {
				log.warn(LogLine.of("store-journal-record-skipped")
					.with("room", code)
					.with("reason", ex.getMessage())
					.with("instead", "the room file, if any"));
				try {
					Room room = this.files.read(this.files.fileOf(code));
					rooms.put(code, finisher.finish(room, replay.raises));
				}
				catch (RoomFiles.CorruptRoomFileException unreadable) {
					// no usable version of the room: it is not loaded
				}
			}
		});
		replay.latest.clear();
	}

	/**
	 * Runs {@code action} on every item, on the caller and every thread of the common
	 * pool, each taking the next {@value #CHUNK} items as it is free, so they all finish
	 * together (a parallel stream cuts the list into a few large parts up front, and one
	 * thread was left parsing the last of them alone, ~0.2 s of a 2.5 s start-up).
	 */
	static <T> void inParallel(List<T> items, Consumer<T> action) {
		AtomicInteger next = new AtomicInteger();
		IntStream.range(0, ForkJoinPool.getCommonPoolParallelism() + 1).parallel().forEach((thread) -> {
			for (int from = next.getAndAdd(CHUNK); from < items.size(); from = next.getAndAdd(CHUNK)) {
				for (int i = from; i < Math.min(items.size(), from + CHUNK); i++) {
					action.accept(items.get(i));
				}
			}
		});
	}

	/**
	 * What every loaded room goes through once: the seq raises of the journal, its
	 * members disconnected, and, after a stop that was not clean, its seq raised now and
	 * a new history epoch.
	 */
	private static final class Finisher {

		private final Instant now;

		private final boolean raiseSeq;

		private final long margin;

		private final long journalMargin;

		Finisher(Instant now, boolean raiseSeq, long margin, Replay replay) {
			this.now = now;
			this.raiseSeq = raiseSeq;
			this.margin = margin;
			this.journalMargin = replay.margin;
		}

		/**
		 * The room as it is loaded.
		 * @param journalRaises the seq raises of the journal that came after this version
		 * of the room
		 */
		Room finish(Room room, int journalRaises) {
			boolean connected = room.members().stream().anyMatch(Member::connected);
			if (journalRaises == 0 && !this.raiseSeq && !connected) {
				return room;
			}
			Room.Draft next = room.edit().seq(room.seq() + this.journalMargin * journalRaises);
			if (connected) {
				next.members(room.members()
					.stream()
					.map((member) -> member.connected() ? member.withPresence(false, this.now) : member)
					.toList());
			}
			if (this.raiseSeq) {
				// events that clients saw may be lost: the history cannot vouch for them
				next.seq(room.seq() + this.journalMargin * journalRaises + this.margin)
					.history(room.history().withNewEpoch());
			}
			return next.build();
		}

	}

	private static long parseMargin(byte[] segment, int offset, int length, long fallback) {
		try {
			return (length > 0) ? Long.parseLong(new String(segment, offset, length, StandardCharsets.US_ASCII))
					: fallback;
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

}
