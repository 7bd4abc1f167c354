package dev.roomkeeper.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.roomkeeper.system.LogLine;

/**
 * Reads the journal's segments in order at start-up and hands every intact record to a
 * {@link Visitor}. A segment's records end at the first one that is torn or corrupt
 * (short, impossible length, wrong checksum): that tail is cut off the file, logged and
 * counted, and reading goes on with the next segment. Nothing in the journal fails
 * start-up; a segment that cannot be read at all is logged and skipped. The content of a
 * record is never logged.
 */
final class JournalReader {

	private static final Log log = LogFactory.getLog(JournalReader.class);

	private JournalReader() {
	}

	/** Receives the records of the journal, oldest first. */
	interface Visitor {

		/**
		 * One record. Its data is {@code length} bytes of {@code segment} from
		 * {@code offset} (not copied: the segment's bytes are not reused, so the slice
		 * may be kept): the room's JSON for {@link RoomJournal#PUT}, the
		 * {@link HistoryTail} for {@link RoomJournal#TAIL}, the margin (ASCII digits) for
		 * {@link RoomJournal#RAISE_SEQ}, nothing ({@code length} 0) for
		 * {@link RoomJournal#DELETE}.
		 */
		void record(byte kind, String code, byte[] segment, int offset, int length);

	}

	/** What a replay found. */
	record Result(int segments, long records, int tornTails, long bytesCut, long lastSegment) {
	}

	/**
	 * Reads every segment of the store's journal.
	 * @param cut whether to cut a torn tail off its file (false: only skip it)
	 */
	static Result replay(Path storeDir, Visitor visitor, boolean cut) throws IOException {
		List<Long> numbers = RoomJournal.segmentNumbers(storeDir);
		Path dir = storeDir.resolve(RoomJournal.DIR);
		long records = 0;
		int torn = 0;
		long bytesCut = 0;
		for (long number : numbers) {
			Path file = RoomJournal.segment(dir, number);
			byte[] bytes;
			try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
				long size = channel.size();
				if (size > Integer.MAX_VALUE - 16) {
					throw new IOException("segment too large: " + size + " bytes");
				}
				bytes = new byte[(int) size];
				ByteBuffer buffer = ByteBuffer.wrap(bytes);
				while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
					// reads the whole segment
				}
			}
			catch (IOException ex) {
				log.error(LogLine.of("store-journal-segment-unreadable")
					.with("segment", file.getFileName())
					.with("error", ex.getClass().getSimpleName()));
				continue;
			}
			Segment segment = read(bytes, visitor);
			records += segment.records();
			if (segment.end() < bytes.length) {
				torn++;
				bytesCut += bytes.length - segment.end();
				log.warn(LogLine.of("store-journal-tail-cut")
					.with("segment", file.getFileName())
					.with("records", segment.records())
					.with("at", segment.end())
					.with("bytesCut", bytes.length - segment.end())
					.with("reason", segment.reason()));
				if (cut) {
					try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE,
							LinkOption.NOFOLLOW_LINKS)) {
						channel.truncate(segment.end());
						channel.force(false);
					}
				}
			}
		}
		long last = numbers.isEmpty() ? 0 : numbers.get(numbers.size() - 1);
		return new Result(numbers.size(), records, torn, bytesCut, last);
	}

	private record Segment(long records, int end, String reason) {
	}

	private static Segment read(byte[] bytes, Visitor visitor) {
		if (bytes.length < RoomJournal.MAGIC.length
				|| !Arrays.equals(bytes, 0, RoomJournal.MAGIC.length, RoomJournal.MAGIC, 0, RoomJournal.MAGIC.length)) {
			// even the header is torn: the segment was being created
			return new Segment(0, 0, "no header");
		}
		ByteBuffer in = ByteBuffer.wrap(bytes);
		int position = RoomJournal.MAGIC.length;
		long records = 0;
		CRC32C crc = new CRC32C();
		while (position < bytes.length) {
			if (bytes.length - position < RoomJournal.RECORD_HEADER) {
				return new Segment(records, position, "short header");
			}
			int length = in.getInt(position);
			int checksum = in.getInt(position + 4);
			int start = position + RoomJournal.RECORD_HEADER;
			if (length < 2 || length > RoomJournal.MAX_PAYLOAD || length > bytes.length - start) {
				return new Segment(records, position, (length > bytes.length - start) ? "short record" : "bad length");
			}
			crc.reset();
			crc.update(bytes, start, length);
			if ((int) crc.getValue() != checksum) {
				return new Segment(records, position, "checksum");
			}
			byte kind = bytes[start];
			int codeLength = bytes[start + 1] & 0xff;
			if (2 + codeLength > length || (kind != RoomJournal.PUT && kind != RoomJournal.TAIL
					&& kind != RoomJournal.DELETE && kind != RoomJournal.RAISE_SEQ)) {
				return new Segment(records, position, "bad record");
			}
			String code = new String(bytes, start + 2, codeLength, StandardCharsets.US_ASCII);
			visitor.record(kind, code, bytes, start + 2 + codeLength, length - 2 - codeLength);
			records++;
			position = start + length;
		}
		return new Segment(records, position, null);
	}

}
