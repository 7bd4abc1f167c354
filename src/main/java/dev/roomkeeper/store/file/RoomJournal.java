package dev.roomkeeper.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.roomkeeper.system.LogLine;

/**
 * The journal of the file store: append-only segment files
 * {@code journal/NNNNNNNNNNNNNNNNNNNN.log} (the number grows by one per segment), each an
 * 8-byte header ({@code RKJOURN1}) and then records.
 * <p>
 * A record is {@code length} (4 bytes, big-endian), {@code CRC32C} of the payload (4
 * bytes), then the payload: a kind byte ({@link #PUT}, {@link #TAIL}, {@link #DELETE},
 * {@link #RAISE_SEQ}), the length of the room code (1 byte), the code (ASCII), and for
 * {@link #PUT} the room's JSON exactly as its room file holds it; for {@link #TAIL} the
 * same JSON with only the history events the journal does not hold yet, behind the
 * {@link HistoryTail} header that says where they go. A record is on disk once
 * {@link #append} returns (one {@code fsync} for all records of the call: group commit).
 * <p>
 * {@link #rotate()} starts a new segment and hands over the codes journaled since the
 * previous rotation: once those rooms are written to their room files (a checkpoint), the
 * segments before the rotation are covered and {@link #deleteBefore} drops them. A failed
 * append abandons its segment (its tail may be torn: replay cuts it) and the next append
 * starts a new one. Thread-safe: one append or rotation at a time.
 */
final class RoomJournal {

	private static final Log log = LogFactory.getLog(RoomJournal.class);

	static final String DIR = "journal";

	static final String SUFFIX = ".log";

	static final byte[] MAGIC = "RKJOURN1".getBytes(StandardCharsets.US_ASCII);

	/** Length and checksum before every payload. */
	static final int RECORD_HEADER = 8;

	/** A segment this large is closed: the next append starts a new one. */
	static final long SEGMENT_BYTES = 64L << 20;

	/**
	 * The largest payload replay accepts; a longer length is a torn or corrupt record.
	 */
	static final int MAX_PAYLOAD = 256 << 20;

	static final byte PUT = 'P';

	/**
	 * The room as {@link #PUT} does, but its history holds only the events after the ones
	 * already journaled ({@link HistoryTail}): a busy room's record stays small.
	 */
	static final byte TAIL = 'T';

	static final byte DELETE = 'D';

	/** Every room's seq was raised (start-up after a stop that was not clean). */
	static final byte RAISE_SEQ = 'S';

	private final Path storeDir;

	private final Path dir;

	private long nextSegment;

	private FileChannel current;

	private long bytesSinceRotation;

	private long bytesInSegment;

	private Set<String> codesSinceRotation = new HashSet<>();

	private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);

	private final CRC32C crc = new CRC32C();

	/** The test seam ({@link FileStoreFaults#NONE} outside tests). */
	private volatile FileStoreFaults faults = FileStoreFaults.NONE;

	/**
	 * A journal whose next segment gets the given number (one more than the last segment
	 * on disk); nothing is created until the first append.
	 */
	RoomJournal(Path storeDir, long nextSegment) {
		this.storeDir = storeDir;
		this.dir = storeDir.resolve(DIR);
		this.nextSegment = nextSegment;
	}

	/** One change to journal. */
	record Entry(byte kind, String code, byte[] json) {

		static Entry put(String code, byte[] json) {
			return new Entry(PUT, code, json);
		}

		static Entry tail(String code, byte[] payload) {
			return new Entry(TAIL, code, payload);
		}

		static Entry delete(String code) {
			return new Entry(DELETE, code, null);
		}

		int size() {
			return RECORD_HEADER + 2 + this.code.length() + ((this.json != null) ? this.json.length : 0);
		}

	}

	/**
	 * Appends the entries and forces them to disk.
	 * @throws IOException if they may not be on disk: the segment is abandoned
	 */
	synchronized void append(List<Entry> entries) throws IOException {
		int size = 0;
		for (Entry entry : entries) {
			size += entry.size();
		}
		if (this.buffer.capacity() < size) {
			this.buffer = ByteBuffer.allocateDirect(Math.max(size, this.buffer.capacity() * 2));
		}
		ByteBuffer out = this.buffer.clear();
		for (Entry entry : entries) {
			encode(entry, out);
		}
		out.flip();
		try {
			FileChannel channel = currentSegment();
			this.faults.before(FileStoreFaults.Step.JOURNAL_WRITE);
			while (out.hasRemaining()) {
				channel.write(out);
			}
			this.faults.before(FileStoreFaults.Step.JOURNAL_FORCE);
			channel.force(false);
		}
		catch (IOException | RuntimeException ex) {
			abandonSegment();
			throw ex;
		}
		this.bytesSinceRotation += size;
		this.bytesInSegment += size;
		if (this.bytesInSegment >= SEGMENT_BYTES) {
			abandonSegment();
		}
		for (Entry entry : entries) {
			if (entry.kind() != RAISE_SEQ) {
				this.codesSinceRotation.add(entry.code());
			}
		}
	}

	private void encode(Entry entry, ByteBuffer out) {
		byte[] code = entry.code().getBytes(StandardCharsets.US_ASCII);
		int payload = 2 + code.length + ((entry.json() != null) ? entry.json().length : 0);
		this.crc.reset();
		this.crc.update(entry.kind());
		this.crc.update(code.length);
		this.crc.update(code);
		if (entry.json() != null) {
			this.crc.update(entry.json());
		}
		out.putInt(payload).putInt((int) this.crc.getValue()).put(entry.kind()).put((byte) code.length).put(code);
		if (entry.json() != null) {
			out.put(entry.json());
		}
	}

	/** Installs the test seam. */
	void faults(FileStoreFaults faults) {
		this.faults = faults;
	}

	/** Bytes appended since the last rotation. */
	synchronized long bytesSinceRotation() {
		return this.bytesSinceRotation;
	}

	/**
	 * Ends the current segment: the next append starts a new one.
	 * @return the codes journaled since the previous rotation, and the first segment
	 * number not covered by them
	 */
	synchronized Rotation rotate() throws IOException {
		Set<String> codes = this.codesSinceRotation;
		this.codesSinceRotation = new HashSet<>();
		this.bytesSinceRotation = 0;
		if (this.current != null) {
			FileChannel channel = this.current;
			this.current = null;
			channel.close();
		}
		return new Rotation(codes, this.nextSegment);
	}

	/** Codes whose checkpoint failed: the next rotation hands them over again. */
	synchronized void stillDirty(Set<String> codes) {
		this.codesSinceRotation.addAll(codes);
	}

	/**
	 * What a checkpoint must write before it may drop the segments before {@code end}.
	 */
	record Rotation(Set<String> codes, long end) {
	}

	/**
	 * Deletes every segment numbered below {@code end}, oldest first (so a crash leaves a
	 * suffix of them), and then the journal directory if it is empty and no segment is
	 * open.
	 */
	synchronized void deleteBefore(long end) throws IOException {
		List<Long> numbers = segmentNumbers(this.storeDir);
		for (long number : numbers) {
			if (number < end) {
				Files.deleteIfExists(segment(this.dir, number));
			}
		}
		if (this.current == null && segmentNumbers(this.storeDir).isEmpty()) {
			try {
				Files.deleteIfExists(this.dir);
			}
			catch (IOException ex) {
				// not empty after all (someone put a file there): harmless
			}
			forceDirectory(this.storeDir);
		}
		else if (Files.isDirectory(this.dir)) {
			forceDirectory(this.dir);
		}
	}

	/** Closes the open segment, if any. */
	synchronized void close() throws IOException {
		if (this.current != null) {
			FileChannel channel = this.current;
			this.current = null;
			channel.close();
		}
	}

	private FileChannel currentSegment() throws IOException {
		if (this.current != null) {
			return this.current;
		}
		boolean created = !Files.isDirectory(this.dir);
		OwnerOnly.createDirectory(this.dir);
		if (created) {
			forceDirectory(this.storeDir);
		}
		Path file = segment(this.dir, this.nextSegment++);
		FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
				LinkOption.NOFOLLOW_LINKS);
		try {
			OwnerOnly.file(file);
			ByteBuffer header = ByteBuffer.wrap(MAGIC);
			while (header.hasRemaining()) {
				channel.write(header);
			}
			channel.force(false);
			forceDirectory(this.dir);
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
		this.current = channel;
		this.bytesInSegment = 0;
		return channel;
	}

	private void abandonSegment() {
		if (this.current != null) {
			try {
				this.current.close();
			}
			catch (IOException ex) {
				log.warn(LogLine.of("store-journal-close-failed").with("error", ex.getMessage()));
			}
			this.current = null;
		}
	}

	static Path segment(Path journalDir, long number) {
		return journalDir.resolve(String.format("%020d", number) + SUFFIX);
	}

	/** The numbers of the segments in the store's journal directory, in order. */
	static List<Long> segmentNumbers(Path storeDir) throws IOException {
		Path dir = storeDir.resolve(DIR);
		List<Long> numbers = new ArrayList<>();
		if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
			return numbers;
		}
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
			for (Path entry : entries) {
				String name = entry.getFileName().toString();
				if (name.length() == 20 + SUFFIX.length() && name.endsWith(SUFFIX)
						&& name.chars().limit(20).allMatch((c) -> c >= '0' && c <= '9')) {
					numbers.add(Long.parseLong(name.substring(0, 20)));
				}
			}
		}
		catch (NoSuchFileException ex) {
			return numbers;
		}
		numbers.sort(null);
		return numbers;
	}

	static void forceDirectory(Path dir) throws IOException {
		try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
			channel.force(true);
		}
	}

}
