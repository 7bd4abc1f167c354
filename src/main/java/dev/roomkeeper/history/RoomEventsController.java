package dev.roomkeeper.history;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.roomkeeper.room.BearerToken;
import dev.roomkeeper.system.ProblemCode;
import dev.roomkeeper.system.RoomkeeperException;

/**
 * {@code GET /api/rooms/{code}/events?since=&limit=} (member or owner): the room's recent
 * events as {@code {epoch, seq, complete, events}}. With {@code since}, the first
 * {@code limit} events after it (page forward with the last one's seq); without, the
 * latest {@code limit} (a chat backlog). {@code complete} is false when an event the
 * caller asked for is no longer held.
 */
@RestController
@RequestMapping("/api/rooms")
class RoomEventsController {

	private final RoomHistoryService history;

	private final JsonMapper jsonMapper;

	RoomEventsController(RoomHistoryService history, JsonMapper jsonMapper) {
		this.history = history;
		this.jsonMapper = jsonMapper;
	}

	@GetMapping("/{code}/events")
	ResponseEntity<String> events(@PathVariable String code,
			@RequestParam(name = "since", required = false) String since,
			@RequestParam(name = "limit", required = false) String limit,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth) {
		Long sinceSeq = parseSince(since);
		int max = parseLimit(limit);
		String token = BearerToken.of(auth);
		if (token == null) {
			throw new RoomkeeperException(ProblemCode.UNAUTHORIZED,
					"Authorization: Bearer <token> with a member or owner token is required");
		}
		RoomHistoryService.EventsPage page = this.history.events(code, token, sinceSeq, max);
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json(page));
	}

	/** The answer, with each event written as the JSON object it was sent as. */
	private String json(RoomHistoryService.EventsPage page) {
		StringBuilder json = new StringBuilder(256 + 256 * page.events().size());
		json.append("{\"epoch\":")
			.append(this.jsonMapper.writeValueAsString(page.epoch()))
			.append(",\"seq\":")
			.append(page.seq())
			.append(",\"complete\":")
			.append(page.complete())
			.append(",\"events\":[");
		for (int i = 0; i < page.events().size(); i++) {
			if (i > 0) {
				json.append(',');
			}
			json.append(page.events().get(i).json());
		}
		return json.append("]}").toString();
	}

	static Long parseSince(String since) {
		if (since == null) {
			return null;
		}
		try {
			long value = Long.parseLong(since.trim());
			if (value >= 0) {
				return value;
			}
		}
		catch (NumberFormatException ex) {
			// answered below
		}
		throw RoomkeeperException.invalid("since", "must be a seq: a whole number, 0 or more");
	}

	static int parseLimit(String limit) {
		if (limit == null) {
			return RoomHistoryService.DEFAULT_LIMIT;
		}
		try {
			int value = Integer.parseInt(limit.trim());
			if (value >= 1 && value <= RoomHistoryService.MAX_LIMIT) {
				return value;
			}
		}
		catch (NumberFormatException ex) {
			// answered below
		}
		throw RoomkeeperException.invalid("limit", "must be a whole number from 1 to " + RoomHistoryService.MAX_LIMIT);
	}

}
