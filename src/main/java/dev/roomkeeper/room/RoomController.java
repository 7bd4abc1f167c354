package dev.roomkeeper.room;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.roomkeeper.room.event.MemberView;
import dev.roomkeeper.system.JsonFields;
import dev.roomkeeper.system.ProblemCode;
import dev.roomkeeper.system.RoomkeeperException;

/**
 * The HTTP API of rooms ({@code /api/rooms}), as in the contract. Owner and member tokens
 * come in {@code Authorization: Bearer <token>}.
 */
@RestController
@RequestMapping("/api/rooms")
class RoomController {

	private final RoomService rooms;

	private final PublicUrls publicUrls;

	private final FailedLookupLimiter lookupLimiter;

	RoomController(RoomService rooms, PublicUrls publicUrls, FailedLookupLimiter lookupLimiter) {
		this.rooms = rooms;
		this.publicUrls = publicUrls;
		this.lookupLimiter = lookupLimiter;
	}

	/** {@code {room, ownerToken, joinUrl, qrUrl}}. */
	record CreatedRoomResponse(RoomView room, String ownerToken, String joinUrl, String qrUrl) {
	}

	/** {@code {member, token, room}}. */
	record JoinedRoomResponse(MemberView member, String token, RoomView room) {
	}

	@PostMapping
	ResponseEntity<CreatedRoomResponse> create(@RequestBody(required = false) JsonNode body,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth,
			HttpServletRequest request) {
		String token = BearerToken.of(auth);
		boolean server = token != null && checkedToken(token, request) != null && this.rooms.isServerKey(token);
		RoomService.CreatedRoom created = this.rooms.create(CreateRoomRequest.from(body), server);
		String code = created.room().code();
		String base = this.publicUrls.base(request);
		return ResponseEntity.created(URI.create("/api/rooms/" + code))
			.body(new CreatedRoomResponse(view(created.room()), created.ownerToken(),
					this.publicUrls.joinUrl(base, code), this.publicUrls.qrUrl(base, code)));
	}

	@GetMapping
	Map<String, List<RoomSummary>> list() {
		return Map.of("rooms",
				this.rooms.listed().stream().map((room) -> RoomSummary.of(room, this.rooms.idleTimeout())).toList());
	}

	@GetMapping("/{code}")
	Object get(@PathVariable String code,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth,
			HttpServletRequest request) {
		Room room = this.rooms.lookUp(code, request.getRemoteAddr());
		String token = checkedToken(BearerToken.of(auth), request);
		if (token == null) {
			return RoomSummary.of(room, this.rooms.idleTimeout());
		}
		return view(this.rooms.lookUpWithToken(room.code(), token));
	}

	@PostMapping("/{code}/members")
	ResponseEntity<JoinedRoomResponse> join(@PathVariable String code, @RequestBody(required = false) JsonNode body,
			HttpServletRequest request) {
		if (body != null && body.isObject() && body.has("ticket")) {
			return joinWithTicket(code, body, request);
		}
		JoinRoomRequest joinRequest = JoinRoomRequest.from(body);
		RoomService.JoinedRoom joined = this.rooms.join(code, joinRequest, request.getRemoteAddr());
		return ResponseEntity
			.created(URI.create("/api/rooms/" + joined.room().code() + "/members/" + joined.member().id()))
			.body(new JoinedRoomResponse(joined.member().view(), joined.token(), view(joined.room())));
	}

	/**
	 * {@code {ticket}}: 201 with a new member, or 200 with the member this ticket's user
	 * already is (a fresh token; the earlier ones keep working).
	 */
	private ResponseEntity<JoinedRoomResponse> joinWithTicket(String code, JsonNode body, HttpServletRequest request) {
		JsonFields fields = JsonFields.of(body);
		String ticket = fields.requiredString("ticket", 1, 16_384).orElse(null);
		fields.validate();
		RoomService.TicketJoin join = this.rooms.joinWithTicket(code, ticket, request.getRemoteAddr());
		RoomService.JoinedRoom joined = join.joined();
		JoinedRoomResponse response = new JoinedRoomResponse(joined.member().view(), joined.token(),
				view(joined.room()));
		if (!join.created()) {
			return ResponseEntity.ok(response);
		}
		return ResponseEntity
			.created(URI.create("/api/rooms/" + joined.room().code() + "/members/" + joined.member().id()))
			.body(response);
	}

	/** {@code {data}} → 202: the REST twin of the STOMP {@code broadcast}. */
	@PostMapping("/{code}/messages")
	ResponseEntity<Void> message(@PathVariable String code, @RequestBody(required = false) JsonNode body,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth,
			HttpServletRequest request) {
		String token = requireToken(auth, request);
		BroadcastRequest message = BroadcastRequest.from(body);
		this.rooms.broadcast(code, token, message.data());
		return ResponseEntity.accepted().build();
	}

	@DeleteMapping("/{code}/members/{memberId}")
	ResponseEntity<Void> removeMember(@PathVariable String code, @PathVariable String memberId,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth,
			HttpServletRequest request) {
		this.rooms.removeMember(code, memberId, requireToken(auth, request));
		return ResponseEntity.noContent().build();
	}

	@PatchMapping("/{code}")
	RoomView update(@PathVariable String code, @RequestBody(required = false) JsonNode body,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth,
			HttpServletRequest request) {
		String token = requireToken(auth, request);
		return view(this.rooms.updateSettings(code, token, UpdateRoomRequest.from(body)));
	}

	@DeleteMapping("/{code}")
	ResponseEntity<Void> close(@PathVariable String code,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth,
			HttpServletRequest request) {
		this.rooms.closeByOwner(code, requireToken(auth, request));
		return ResponseEntity.noContent().build();
	}

	/** {@code {version}}. */
	record VersionResponse(long version) {
	}

	@PostMapping("/{code}/state")
	VersionResponse patchState(@PathVariable String code, @RequestBody(required = false) JsonNode body,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth,
			HttpServletRequest request) {
		String token = requireToken(auth, request);
		return new VersionResponse(
				this.rooms.patchState(code, token, StatePatchRequest.from(body), Durability.DURABLE));
	}

	@PostMapping("/{code}/keep-alive")
	ResponseEntity<Void> keepAlive(@PathVariable String code,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth,
			HttpServletRequest request) {
		this.rooms.keepAlive(code, requireToken(auth, request), Durability.DURABLE);
		return ResponseEntity.noContent().build();
	}

	private RoomView view(Room room) {
		return RoomView.of(room, this.rooms.idleTimeout());
	}

	private String requireToken(String authorization, HttpServletRequest request) {
		String token = BearerToken.of(authorization);
		if (token == null) {
			throw new RoomkeeperException(ProblemCode.UNAUTHORIZED,
					"Authorization: Bearer <token> with a member or owner token (or a server key) is required");
		}
		return checkedToken(token, request);
	}

	/**
	 * A token that is neither a room token ({@code CODE.secret}) nor a server key is a
	 * wrong server key: it counts as a failed look-up of the address and answers
	 * {@code unauthorized}.
	 */
	private String checkedToken(String token, HttpServletRequest request) {
		if (token == null || Secrets.roomCodeOf(token).isPresent() || this.rooms.isServerKey(token)) {
			return token;
		}
		String address = request.getRemoteAddr();
		this.lookupLimiter.check(address);
		this.lookupLimiter.recordFailure(address);
		throw new RoomkeeperException(ProblemCode.UNAUTHORIZED, "The bearer token is not a room token or server key");
	}

}
