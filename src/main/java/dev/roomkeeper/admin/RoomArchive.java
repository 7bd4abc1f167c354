package dev.roomkeeper.admin;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.roomkeeper.room.CreateRoomRequest;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomProperties;
import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.room.RoomService;
import dev.roomkeeper.system.LogLine;

/**
 * Export and import of rooms as NDJSON: one room per line, exactly as the store keeps it
 * (code, name, settings, state, {@code version}, {@code seq}, times, members with their
 * metadata, and the <em>hashes</em> of the owner token, the member tokens and the
 * password). Tokens therefore keep working after an import, and an export holds no secret
 * that grants access.
 * <p>
 * Export walks the store a page at a time and streams each page out, so it never holds
 * all rooms. Import reads line by line, checks each line on its own and stores the good
 * ones; a bad line is reported with its number, a room whose code exists is reported and
 * left as it is.
 */
@Component
class RoomArchive {

	/** Rooms read from the store per page of an export. */
	static final int EXPORT_PAGE_SIZE = 100;

	private static final Log log = LogFactory.getLog(RoomArchive.class);

	private static final byte[] NEWLINE = { '\n' };

	/** Room fields other than settings, state and members, generously. */
	private static final int ROOM_OVERHEAD_BYTES = 64 * 1024;

	/** A member's fields other than its metadata, generously. */
	private static final int MEMBER_OVERHEAD_BYTES = 1024;

	private final RoomRepository repository;

	private final RoomService rooms;

	private final RoomImporter importer;

	private final JsonMapper jsonMapper;

	private final ArchivedRoomReader reader;

	private final Clock clock;

	private final int maxLineBytes;

	RoomArchive(RoomRepository repository, RoomService rooms, RoomImporter importer, JsonMapper jsonMapper,
			RoomProperties properties, Clock clock) {
		this.repository = repository;
		this.rooms = rooms;
		this.importer = importer;
		this.jsonMapper = jsonMapper;
		this.clock = clock;
		long messageBytes = properties.getLimits().getMessageBytes().toBytes();
		long stateBytes = properties.getLimits().getStateBytes().toBytes();
		this.reader = new ArchivedRoomReader(jsonMapper, messageBytes, stateBytes);
		this.maxLineBytes = maxLineBytes(messageBytes, stateBytes);
	}

	/**
	 * The longest line of the largest room the server can hold: state, settings and
	 * {@value CreateRoomRequest#MAX_MEMBERS_LIMIT} members with the largest metadata.
	 */
	static int maxLineBytes(long messageBytes, long stateBytes) {
		long bytes = ROOM_OVERHEAD_BYTES + stateBytes + messageBytes
				+ CreateRoomRequest.MAX_MEMBERS_LIMIT * (messageBytes + MEMBER_OVERHEAD_BYTES);
		return (int) Math.min(Integer.MAX_VALUE - 8, bytes);
	}

	/**
	 * Writes every open room as one line of JSON, a page at a time.
	 * @return how many rooms were written
	 */
	int export(OutputStream out) throws IOException {
		Instant now = this.clock.instant();
		int count = 0;
		String after = null;
		while (true) {
			List<Room> page = this.repository.findPage(after, EXPORT_PAGE_SIZE);
			if (page.isEmpty()) {
				break;
			}
			for (Room room : page) {
				if (!this.rooms.isExpired(room, now)) {
					out.write(this.jsonMapper.writeValueAsBytes(room));
					out.write(NEWLINE);
					count++;
				}
			}
			out.flush();
			after = page.get(page.size() - 1).code();
		}
		log.info(LogLine.of("rooms-exported").with("rooms", count));
		return count;
	}

	/** Imports every good line of an export; never stops at a bad one. */
	ImportReport importFrom(InputStream in) throws IOException {
		ImportLineReader lines = new ImportLineReader(new BufferedInputStream(in), this.maxLineBytes);
		int imported = 0;
		List<ImportReport.Existing> existing = new ArrayList<>();
		List<ImportReport.LineError> errors = new ArrayList<>();
		ImportLineReader.Line line;
		while ((line = lines.next()) != null) {
			if (line.text() == null) {
				errors.add(new ImportReport.LineError(line.number(), line.problem()));
				continue;
			}
			if (line.text().isBlank()) {
				continue;
			}
			Room room;
			try {
				room = this.reader.read(line.text());
			}
			catch (ArchivedRoomReader.InvalidLineException ex) {
				errors.add(new ImportReport.LineError(line.number(), ex.getMessage()));
				continue;
			}
			switch (this.importer.importRoom(room)) {
				case IMPORTED -> imported++;
				case EXISTS -> existing.add(new ImportReport.Existing(line.number(), room.code()));
				case EXPIRED -> errors.add(new ImportReport.LineError(line.number(),
						"room " + room.code() + " is past its idle timeout; it was not imported"));
				case CAPACITY -> errors.add(new ImportReport.LineError(line.number(),
						"room " + room.code() + " was not imported: rooms.max-rooms rooms are open"));
			}
		}
		log.info(LogLine.of("rooms-imported")
			.with("rooms", imported)
			.with("existing", existing.size())
			.with("badLines", errors.size()));
		return new ImportReport(imported, existing, errors);
	}

}
