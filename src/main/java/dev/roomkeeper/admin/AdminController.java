package dev.roomkeeper.admin;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.roomkeeper.ops.ActivityHistory;
import dev.roomkeeper.ops.LiveConnectionCounts;
import dev.roomkeeper.ops.RoomCensus;
import dev.roomkeeper.room.RoomCodes;
import dev.roomkeeper.room.RoomProperties;
import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.room.RoomService;
import dev.roomkeeper.system.JsonFields;
import dev.roomkeeper.system.ProblemCode;
import dev.roomkeeper.system.RoomkeeperException;

/**
 * The admin API ({@code /api/admin}), for operators holding {@code rooms.admin-token}
 * (checked by {@link AdminAccessFilter}): stats, closing a room, the activity history of
 * the admin page's chart, and export/import.
 */
@RestController
@RequestMapping(AdminAccessFilter.PATH)
class AdminController {

	static final int DEFAULT_LIMIT = 50;

	static final int MAX_LIMIT = 500;

	static final String NDJSON = "application/x-ndjson";

	private final RoomService rooms;

	private final RoomRepository repository;

	private final RoomCensus census;

	private final LiveConnectionCounts connections;

	private final ActivityHistory history;

	private final RoomArchive archive;

	private final RoomProperties properties;

	private final Clock clock;

	AdminController(RoomService rooms, RoomRepository repository, RoomCensus census, LiveConnectionCounts connections,
			ActivityHistory history, RoomArchive archive, RoomProperties properties, Clock clock) {
		this.rooms = rooms;
		this.repository = repository;
		this.census = census;
		this.connections = connections;
		this.history = history;
		this.archive = archive;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Refuses any request the filter did not let through (defence in depth: a path the
	 * filter might not recognise never reaches an admin handler).
	 */
	@ModelAttribute
	void requireAdmin(HttpServletRequest request) {
		if (!Boolean.TRUE.equals(request.getAttribute(AdminAccessFilter.AUTHORIZED))) {
			throw new RoomkeeperException(ProblemCode.NOT_FOUND, "No such resource");
		}
	}

	/**
	 * {@code {rooms, maxRooms, members, connections, store, idleTimeoutSeconds, list}}:
	 * {@code list} is a page of the open rooms, most recently active first.
	 */
	record StatsResponse(int rooms, int maxRooms, int members, int connections, String store, long idleTimeoutSeconds,
			List<RoomStats> list) {
	}

	/**
	 * One open room in the stats.
	 *
	 * @param code the code
	 * @param name the name
	 * @param members members who joined
	 * @param connections open live connections to the room on this instance
	 * @param createdAt when it was created
	 * @param lastActivityAt its last activity
	 * @param inactiveSeconds seconds since its last activity
	 * @param expiresInSeconds seconds until it closes for inactivity
	 */
	record RoomStats(String code, String name, int members, int connections, Instant createdAt, Instant lastActivityAt,
			long inactiveSeconds, long expiresInSeconds) {
	}

	@GetMapping("/stats")
	StatsResponse stats(@RequestParam(name = "limit", required = false) String limit,
			@RequestParam(name = "offset", required = false) String offset) {
		Paging paging = Paging.of(limit, offset);
		RoomCensus.Census census = this.census.take(paging.offset(), paging.limit());
		Duration idleTimeout = this.rooms.idleTimeout();
		List<RoomStats> list = census.list()
			.stream()
			.map((room) -> new RoomStats(room.code(), room.name(), room.members(), this.connections.inRoom(room.code()),
					room.createdAt(), room.lastActivityAt(),
					Math.max(0, Duration.between(room.lastActivityAt(), census.at()).toSeconds()),
					Math.max(0, Duration.between(census.at(), room.lastActivityAt().plus(idleTimeout)).toSeconds())))
			.toList();
		return new StatsResponse(census.rooms(), this.properties.getMaxRooms(), census.members(),
				this.connections.total(), this.repository.type(), idleTimeout.toSeconds(), list);
	}

	/**
	 * Closes a room for everyone: {@code closed} ({@code admin}) goes out, then it is
	 * deleted.
	 */
	@DeleteMapping("/rooms/{code}")
	ResponseEntity<Void> close(@PathVariable String code) {
		String normalized = RoomCodes.normalizeIfValid(code)
			.orElseThrow(() -> RoomkeeperException.roomNotFound("(invalid code)"));
		if (!this.rooms.close(normalized, "admin")) {
			throw RoomkeeperException.roomNotFound(normalized);
		}
		return ResponseEntity.noContent().build();
	}

	/**
	 * {@code {intervalSeconds, points: [{at, rooms, connections}]}}: the last hour, a
	 * point a minute, and one for now.
	 */
	record HistoryResponse(long intervalSeconds, List<ActivityHistory.Sample> points) {
	}

	@GetMapping("/history")
	HistoryResponse history() {
		return new HistoryResponse(ActivityHistory.INTERVAL.toSeconds(), this.history.lastHour());
	}

	/** Every open room as NDJSON, streamed a page at a time. */
	@GetMapping("/export")
	void export(HttpServletResponse response) throws IOException {
		String stamp = DateTimeFormatter.ISO_INSTANT.format(this.clock.instant().truncatedTo(ChronoUnit.SECONDS))
			.replace(":", "");
		response.setContentType(NDJSON);
		response.setCharacterEncoding("UTF-8");
		response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
				"attachment; filename=\"roomkeeper-rooms-" + stamp + ".ndjson\"");
		this.archive.export(response.getOutputStream());
	}

	/** Imports the rooms of an export; see {@link ImportReport}. */
	@PostMapping("/import")
	ImportReport importRooms(HttpServletRequest request) throws IOException {
		return this.archive.importFrom(request.getInputStream());
	}

	/**
	 * {@code limit} (1–{@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}) and
	 * {@code offset} (from 0) of the stats list.
	 */
	record Paging(int limit, int offset) {

		static Paging of(String limit, String offset) {
			JsonFields fields = JsonFields.of(null);
			Integer parsedLimit = parse(fields, "limit", limit, 1, MAX_LIMIT);
			Integer parsedOffset = parse(fields, "offset", offset, 0, Integer.MAX_VALUE);
			fields.validate();
			return new Paging((parsedLimit != null) ? parsedLimit : DEFAULT_LIMIT,
					(parsedOffset != null) ? parsedOffset : 0);
		}

		private static Integer parse(JsonFields fields, String name, String value, int min, int max) {
			if (value == null || value.isEmpty()) {
				return null;
			}
			try {
				int parsed = Integer.parseInt(value);
				if (parsed >= min && parsed <= max) {
					return parsed;
				}
			}
			catch (NumberFormatException ex) {
				// reported below
			}
			fields.error(name, (max == Integer.MAX_VALUE) ? "must be a whole number of at least " + min
					: "must be a whole number between " + min + " and " + max);
			return null;
		}

	}

}
