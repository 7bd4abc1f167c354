package dev.roomkeeper.room;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Service;

import dev.roomkeeper.room.event.ClosedEvent;
import dev.roomkeeper.room.event.MemberConnectedEvent;
import dev.roomkeeper.room.event.MemberDisconnectedEvent;
import dev.roomkeeper.room.event.MemberJoinedEvent;
import dev.roomkeeper.room.event.MemberRemovedEvent;
import dev.roomkeeper.room.event.MemberRole;
import dev.roomkeeper.room.event.MessageEvent;
import dev.roomkeeper.room.event.PresenceEvent;
import dev.roomkeeper.room.event.RoomTopicEvent;
import dev.roomkeeper.room.event.SettingsEvent;
import dev.roomkeeper.room.event.StateEvent;
import dev.roomkeeper.system.LogLine;
import dev.roomkeeper.system.ProblemCode;
import dev.roomkeeper.system.RoomkeeperException;

/**
 * Everything that can happen to a room: the one entry point of the {@code room} feature,
 * used by the REST API, the live (STOMP) API, the sweeper and the admin API alike, so
 * each rule holds whichever way a change arrives.
 * <p>
 * Every change is one atomic {@link RoomRepository#update} that checks the caller's token
 * against the current room, applies the change, records activity (and, in the same write,
 * that the calling member was seen: {@link Room#touchedBy}) and raises the room event. A
 * room past its idle timeout is treated as gone even before the sweeper closes it.
 */
@Service
public class RoomService {

	private static final Log log = LogFactory.getLog(RoomService.class);

	private static final int CODE_ATTEMPTS = 20;

	/** Rooms tried before {@code capacity}: more only if others keep taking the space. */
	private static final int EVICTION_ATTEMPTS = 20;

	private static final Duration CAPACITY_RETRY_AFTER = Duration.ofSeconds(60);

	/** The one answer to a live token that fails, whatever failed. */
	static final String INVALID_TOKEN_MESSAGE = "The token is not a member or owner token of an open room";

	private final RoomRepository repository;

	private final RoomProperties properties;

	private final FailedLookupLimiter lookupLimiter;

	private final JsonMapper jsonMapper;

	private final Clock clock;

	private final ServerKeys serverKeys;

	private final JoinTickets tickets;

	public RoomService(RoomRepository repository, RoomProperties properties, FailedLookupLimiter lookupLimiter,
			JsonMapper jsonMapper, Clock clock) {
		this(repository, properties, lookupLimiter, jsonMapper, clock, new ServerKeys(properties),
				new JoinTickets(properties, jsonMapper, clock));
	}

	@org.springframework.beans.factory.annotation.Autowired
	public RoomService(RoomRepository repository, RoomProperties properties, FailedLookupLimiter lookupLimiter,
			JsonMapper jsonMapper, Clock clock, ServerKeys serverKeys, JoinTickets tickets) {
		this.repository = repository;
		this.properties = properties;
		this.lookupLimiter = lookupLimiter;
		this.jsonMapper = jsonMapper;
		this.clock = clock;
		this.serverKeys = serverKeys;
		this.tickets = tickets;
	}

	/**
	 * A token as presented: its hash, or the server (a server key). Never holds the
	 * token. A live connection works it out once ({@link #credential(String)}) and acts
	 * with it, instead of hashing its token again for every frame; each action still
	 * checks it against the room as it is then.
	 */
	public record Credential(String tokenHash, boolean server) {
	}

	/** The credential a token presents: whether it is a server key, else its hash. */
	public Credential credential(String token) {
		if (this.serverKeys.matches(token)) {
			return new Credential(null, true);
		}
		return new Credential(Secrets.hashToken(token), false);
	}

	/** Whether a token is one of the server keys ({@code rooms.server-keys}). */
	public boolean isServerKey(String token) {
		return this.serverKeys.matches(token);
	}

	/** A new room and the owner token that controls it (only its hash is stored). */
	public record CreatedRoom(Room room, String ownerToken) {
	}

	/** A new member, its token (only its hash is stored) and the room it joined. */
	public record JoinedRoom(Room room, Member member, String token) {
	}

	public Duration idleTimeout() {
		return this.properties.getIdleTimeout();
	}

	public CreatedRoom create(CreateRoomRequest request) {
		return create(request, false);
	}

	/**
	 * Creates a room; {@code joinPolicy} and {@code permissions} need the server
	 * ({@code forbidden} otherwise).
	 * @param server whether the request came with a server key
	 */
	public CreatedRoom create(CreateRoomRequest request, boolean server) {
		if (!server && (request.joinPolicy() != null || request.permissions() != null)) {
			throw new RoomkeeperException(ProblemCode.FORBIDDEN, "joinPolicy and permissions need a server key");
		}
		checkSize("settings", request.settings(), this.properties.getLimits().getMessageBytes().toBytes());
		checkSize("state", request.state(), this.properties.getLimits().getStateBytes().toBytes());
		makeRoomForOneMore();
		for (int attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
			String code = (request.code() != null) ? request.code().toUpperCase(java.util.Locale.ROOT)
					: RoomCodes.generate(this.properties.getCodeLength());
			String ownerToken = Secrets.newToken(code);
			Room room = newRoom(code, request, ownerToken);
			if (this.repository.create(room)) {
				log.info(LogLine.of("room-created")
					.with("room", code)
					.with("password", room.hasPassword())
					.with("maxMembers", room.maxMembers()));
				return new CreatedRoom(room, ownerToken);
			}
			if (request.code() != null) {
				throw new RoomkeeperException(ProblemCode.ROOM_EXISTS, "A room with code " + code + " exists");
			}
		}
		throw new RoomkeeperException(ProblemCode.CAPACITY, "No free room code was found; try again", List.of(),
				Duration.ofSeconds(1));
	}

	private Room newRoom(String code, CreateRoomRequest request, String ownerToken) {
		Instant now = this.clock.instant();
		int maxMembers = (request.maxMembers() != null) ? request.maxMembers() : this.properties.getMaxMembers();
		return new Room(code, (request.name() != null) ? request.name() : code,
				(request.password() != null) ? Secrets.hashPassword(request.password()) : null,
				Secrets.hashToken(ownerToken), false, request.listed(), maxMembers, List.of(),
				(request.settings() != null) ? request.settings() : emptyObject(),
				(request.state() != null) ? request.state() : emptyObject(), 0, 0, now, now, null,
				new RoomAccess(request.joinPolicy(), request.permissions()), RoomWebhooks.NONE, null);
	}

	/**
	 * At {@code rooms.max-rooms}, makes room for one more: a room past its idle timeout
	 * is closed first ({@code closed}, {@code inactivity}), else the least recently
	 * active room without a connected member ({@code closed}, {@code evicted}); when
	 * every room has a connected member, {@code capacity} (503 with {@code Retry-After}).
	 * Uses the store's lifecycle indexes, so it never reads every room.
	 */
	private void makeRoomForOneMore() {
		int maxRooms = this.properties.getMaxRooms();
		for (int attempt = 0; this.repository.count() >= maxRooms; attempt++) {
			if (attempt >= EVICTION_ATTEMPTS) {
				throw atCapacity(maxRooms);
			}
			Instant now = this.clock.instant();
			List<String> expired = this.repository.findInactiveSince(now.minus(idleTimeout()), 1);
			if (!expired.isEmpty()) {
				closeIfInactive(expired.get(0), Durability.DURABLE);
				continue;
			}
			List<String> unused = this.repository.findWithoutConnectedMembers(1);
			if (unused.isEmpty()) {
				throw atCapacity(maxRooms);
			}
			evict(unused.get(0));
		}
	}

	private static RoomkeeperException atCapacity(int maxRooms) {
		return new RoomkeeperException(ProblemCode.CAPACITY, "The server holds its maximum of " + maxRooms
				+ " rooms and every one of them is in use; try again later", List.of(), CAPACITY_RETRY_AFTER);
	}

	/**
	 * Closes a room to make space ({@code closed}, {@code evicted}) unless a member is
	 * connected to it by now.
	 */
	private boolean evict(String code) {
		boolean evicted = this.repository.update(code, (room) -> {
			if (room.connectedCount() > 0) {
				return ChangeResult.unchanged(false);
			}
			return ChangeResult.delete(true,
					new ClosedEvent(room.code(), this.clock.instant(), room.seq() + 1, "evicted"));
		}, Durability.DURABLE).orElse(false);
		if (evicted) {
			log.info(LogLine.of("room-closed").with("room", code).with("reason", "evicted"));
		}
		return evicted;
	}

	/** An open room (not expired), without any access check. */
	public Optional<Room> findOpen(String code) {
		Instant now = this.clock.instant();
		return RoomCodes.normalizeIfValid(code).flatMap(this.repository::find).filter((room) -> !isExpired(room, now));
	}

	/**
	 * A look-up by anyone: the room, or {@code room-not-found} counted against the
	 * address.
	 */
	public Room lookUp(String code, String address) {
		this.lookupLimiter.check(address);
		Optional<Room> room = findOpen(code);
		if (room.isEmpty()) {
			this.lookupLimiter.recordFailure(address);
			throw RoomkeeperException.roomNotFound(displayCode(code));
		}
		return room.get();
	}

	/**
	 * The room seen by the holder of a token: records activity and that the member was
	 * seen (stored within {@code rooms.store.flush-interval}, never a durable write for a
	 * read), or answers {@code unauthorized} if the token is not one of this room's.
	 */
	public Room lookUpWithToken(String code, String token) {
		Credential tokenHash = credential(token);
		return update(code, (room, now) -> {
			Caller caller = authenticate(room, tokenHash);
			if (caller.server()) {
				// The app's backend reading a room is not activity in it.
				return ChangeResult.unchanged(room);
			}
			Room touched = room.touchedBy(caller, now);
			return ChangeResult.save(touched, touched);
		}, Durability.DEFERRED);
	}

	public List<Room> listed() {
		Instant now = this.clock.instant();
		return this.repository.findAll()
			.stream()
			.filter((room) -> room.listed() && !room.hasPassword() && !isExpired(room, now))
			.sorted(Comparator.comparing(Room::lastActivityAt).reversed())
			.limit(100)
			.toList();
	}

	public JoinedRoom join(String code, JoinRoomRequest request, String address) {
		this.lookupLimiter.check(address);
		checkSize("metadata", request.metadata(), this.properties.getLimits().getMessageBytes().toBytes());
		Optional<Room> found = findOpen(code);
		if (found.isEmpty()) {
			Secrets.spendPasswordCheckTime();
			this.lookupLimiter.recordFailure(address);
			throw RoomkeeperException.roomNotFound(displayCode(code));
		}
		Room snapshot = found.get();
		boolean owner = request.ownerToken() != null;
		if (owner && !Secrets.hashesEqual(snapshot.ownerTokenHash(), Secrets.hashToken(request.ownerToken()))) {
			throw new RoomkeeperException(ProblemCode.UNAUTHORIZED, "ownerToken is not this room's owner token");
		}
		String checkedPasswordHash = snapshot.passwordHash();
		if (!owner && snapshot.hasPassword() && !Secrets.passwordMatches(request.password(), checkedPasswordHash)) {
			this.lookupLimiter.recordFailure(address);
			throw new RoomkeeperException(ProblemCode.WRONG_PASSWORD,
					(request.password() == null) ? "This room needs a password" : "The password is wrong");
		}
		String token = Secrets.newToken(snapshot.code());
		return update(snapshot.code(), (room, now) -> {
			if (room.access().ticketOnly()) {
				throw new RoomkeeperException(ProblemCode.TICKET_REQUIRED,
						"This room admits only members with a join ticket from the app");
			}
			if (!owner && room.hasPassword() && !java.util.Objects.equals(room.passwordHash(), checkedPasswordHash)) {
				throw new RoomkeeperException(ProblemCode.WRONG_PASSWORD, "The room's password changed; try again");
			}
			if (room.locked() && !owner) {
				throw new RoomkeeperException(ProblemCode.ROOM_LOCKED, "The owner locked this room");
			}
			if (room.members().size() >= room.maxMembers()) {
				throw new RoomkeeperException(ProblemCode.ROOM_FULL,
						"The room is full (" + room.maxMembers() + " members)");
			}
			if (room.isNameTaken(request.name())) {
				throw new RoomkeeperException(ProblemCode.NAME_TAKEN,
						"Someone in this room is already called " + request.name());
			}
			Member member = new Member(Secrets.newMemberId(), request.name(),
					owner ? MemberRole.OWNER : MemberRole.MEMBER, Secrets.hashToken(token), false, now, now,
					(request.metadata() != null) ? request.metadata() : emptyObject());
			Room joined = room.withAddedMember(member).touched(now).nextSeq();
			MemberJoinedEvent event = new MemberJoinedEvent(room.code(), now, joined.seq(), member.view());
			return ChangeResult.save(joined, new JoinedRoom(joined, member, token), event);
		}, Durability.DURABLE);
	}

	/**
	 * Joins with a ticket minted by the app's backend (no password needed): a new member
	 * whose {@code userId} is the ticket's {@code sub}, or, if that user already holds a
	 * seat in the room, the same member with a fresh token (its earlier tokens keep
	 * working). Decided inside the room's atomic update, so two tickets for one user at
	 * the same time never give two seats (on Redis, across instances too). A bad ticket
	 * answers {@code invalid-ticket} and counts as a failed look-up of the address.
	 * @return the joined room; {@link TicketJoin#created()} tells a new seat from a
	 * resumed one
	 */
	public TicketJoin joinWithTicket(String code, String ticket, String address) {
		this.lookupLimiter.check(address);
		Optional<Room> found = findOpen(code);
		if (found.isEmpty()) {
			this.lookupLimiter.recordFailure(address);
			throw RoomkeeperException.roomNotFound(displayCode(code));
		}
		JoinTickets.Ticket verified;
		try {
			verified = this.tickets.verify(ticket, found.get().code());
		}
		catch (RoomkeeperException ex) {
			this.lookupLimiter.recordFailure(address);
			throw ex;
		}
		checkSize("metadata", verified.metadata(), this.properties.getLimits().getMessageBytes().toBytes());
		String token = Secrets.newToken(found.get().code());
		String tokenHash = Secrets.hashToken(token);
		return update(found.get().code(), (room, now) -> {
			Optional<Member> seated = room.memberByUserId(verified.sub());
			if (seated.isPresent()) {
				Room resumed = room.withMember(seated.get().id(), (member) -> member.withTicketToken(tokenHash))
					.touched(now);
				Member member = resumed.member(seated.get().id()).orElseThrow();
				return ChangeResult.save(resumed, new TicketJoin(new JoinedRoom(resumed, member, token), false));
			}
			boolean owner = verified.role() == MemberRole.OWNER;
			if (room.locked() && !owner) {
				throw new RoomkeeperException(ProblemCode.ROOM_LOCKED, "The owner locked this room");
			}
			if (room.members().size() >= room.maxMembers()) {
				throw new RoomkeeperException(ProblemCode.ROOM_FULL,
						"The room is full (" + room.maxMembers() + " members)");
			}
			if (room.isNameTaken(verified.name())) {
				throw new RoomkeeperException(ProblemCode.NAME_TAKEN,
						"Someone in this room is already called " + verified.name());
			}
			Member member = new Member(Secrets.newMemberId(), verified.name(), verified.role(), tokenHash, false, now,
					now, (verified.metadata() != null) ? verified.metadata() : emptyObject(), verified.sub(),
					List.of());
			Room joined = room.withAddedMember(member).touched(now).nextSeq();
			MemberJoinedEvent event = new MemberJoinedEvent(room.code(), now, joined.seq(), member.view());
			return ChangeResult.save(joined, new TicketJoin(new JoinedRoom(joined, member, token), true), event);
		}, Durability.DURABLE);
	}

	/** A join with a ticket: the seat, and whether it is new (else resumed). */
	public record TicketJoin(JoinedRoom joined, boolean created) {
	}

	/**
	 * The room a ticket names, for a STOMP {@code CONNECT} with a ticket: verified, then
	 * joined (or resumed) like {@link #joinWithTicket}.
	 */
	public TicketJoin joinWithTicket(String ticket, String address) {
		this.lookupLimiter.check(address);
		JoinTickets.Ticket verified;
		try {
			verified = this.tickets.verify(ticket);
		}
		catch (RoomkeeperException ex) {
			this.lookupLimiter.recordFailure(address);
			throw ex;
		}
		return joinWithTicket(verified.room(), ticket, address);
	}

	/**
	 * Removes a member: by its own token ({@code left}) or by the owner ({@code kicked}).
	 * With {@code rooms.delete-when-empty} the room closes when its last member leaves.
	 */
	public void removeMember(String code, String memberId, String token) {
		Credential tokenHash = credential(token);
		update(code, (room, now) -> {
			Caller caller = authenticate(room, tokenHash);
			boolean self = memberId.equals(caller.memberId());
			if (!self && !caller.owner()) {
				throw new RoomkeeperException(ProblemCode.FORBIDDEN, "Only the owner may remove other members");
			}
			if (room.member(memberId).isEmpty()) {
				throw new RoomkeeperException(ProblemCode.NOT_FOUND, "No member " + memberId + " in this room");
			}
			Room removed = room.touchedBy(caller, now).withoutMember(memberId).nextSeq();
			MemberRemovedEvent event = new MemberRemovedEvent(room.code(), now, removed.seq(), memberId,
					self ? "left" : "kicked");
			if (this.properties.isDeleteWhenEmpty() && removed.members().isEmpty()) {
				log.info(LogLine.of("room-closed").with("room", room.code()).with("reason", "empty"));
				return ChangeResult.delete(true, event, new ClosedEvent(room.code(), now, removed.seq() + 1, "empty"));
			}
			return ChangeResult.save(removed, true, event);
		}, Durability.DURABLE);
	}

	public Room updateSettings(String code, String token, UpdateRoomRequest request) {
		checkSize("settings", request.settings(), this.properties.getLimits().getMessageBytes().toBytes());
		Credential tokenHash = credential(token);
		String newPasswordHash = (request.password() != null) ? Secrets.hashPassword(request.password()) : null;
		return update(code, (room, now) -> {
			Caller caller = authenticate(room, tokenHash);
			requireOwner(caller);
			if (!caller.server() && (request.joinPolicy() != null || request.permissions() != null)) {
				throw new RoomkeeperException(ProblemCode.FORBIDDEN, "joinPolicy and permissions need a server key");
			}
			Room.Draft draft = room.edit();
			if (request.joinPolicy() != null || request.permissions() != null) {
				RoomAccess.Permissions current = room.access().permissions();
				RoomAccess.Permissions permissions = (request.permissions() == null) ? current
						: new RoomAccess.Permissions(
								(request.permissions().state() != null) ? request.permissions().state()
										: current.state(),
								(request.permissions().broadcast() != null) ? request.permissions().broadcast()
										: current.broadcast());
				draft.access(new RoomAccess(
						(request.joinPolicy() != null) ? request.joinPolicy() : room.access().joinPolicy(),
						permissions));
			}
			if (request.name() != null) {
				draft.name(request.name());
			}
			if (request.maxMembers() != null) {
				draft.maxMembers(request.maxMembers());
			}
			if (request.passwordGiven()) {
				draft.passwordHash(newPasswordHash);
			}
			if (request.locked() != null) {
				draft.locked(request.locked());
			}
			if (request.listed() != null) {
				draft.listed(request.listed());
			}
			if (request.settings() != null) {
				ObjectNode settings = JsonMergePatch.apply(room.settings(), request.settings());
				checkSize("settings", settings, this.properties.getLimits().getMessageBytes().toBytes());
				draft.settings(settings);
			}
			Room updated = draft.build().touchedBy(caller, now).nextSeq();
			SettingsEvent event = new SettingsEvent(room.code(), now, updated.seq(), updated.name(),
					updated.hasPassword(), updated.locked(), updated.listed(), updated.maxMembers(),
					updated.settings());
			return ChangeResult.save(updated, updated, event);
		}, Durability.DURABLE);
	}

	/** Closes a room at its owner's request ({@code closed}, {@code owner}). */
	public void closeByOwner(String code, String token) {
		Credential tokenHash = credential(token);
		update(code, (room, now) -> {
			Caller caller = authenticate(room, tokenHash);
			requireOwner(caller);
			String reason = caller.server() ? "server" : "owner";
			log.info(LogLine.of("room-closed").with("room", room.code()).with("reason", reason));
			return ChangeResult.delete(true, new ClosedEvent(room.code(), now, room.seq() + 1, reason));
		}, Durability.DURABLE);
	}

	/**
	 * Closes a room for a reason of the system ({@code inactivity}, {@code admin},
	 * {@code evicted}): {@code closed} goes out, then the room is deleted. Expired rooms
	 * can be closed too.
	 * @return whether this call closed the room (false if it was already gone)
	 */
	public boolean close(String code, String reason) {
		boolean closed = this.repository
			.update(code,
					(room) -> ChangeResult.delete(true,
							new ClosedEvent(room.code(), this.clock.instant(), room.seq() + 1, reason)),
					Durability.DURABLE)
			.orElse(false);
		if (closed) {
			log.info(LogLine.of("room-closed").with("room", code).with("reason", reason));
		}
		return closed;
	}

	/**
	 * Closes a room that is past its idle timeout ({@code closed}, {@code inactivity}),
	 * then deletes it; does nothing to a room that is gone or was active since. For the
	 * sweeper, which passes {@link Durability#DEFERRED} and flushes in batches.
	 * @return whether this call closed the room
	 */
	public boolean closeIfInactive(String code, Durability durability) {
		boolean closed = this.repository.update(code, (room) -> {
			Instant now = this.clock.instant();
			if (!isExpired(room, now)) {
				return ChangeResult.unchanged(false);
			}
			return ChangeResult.delete(true, new ClosedEvent(room.code(), now, room.seq() + 1, "inactivity"));
		}, durability).orElse(false);
		if (closed) {
			log.info(LogLine.of("room-closed").with("room", code).with("reason", "inactivity"));
		}
		return closed;
	}

	/**
	 * Applies a JSON merge patch to the shared state.
	 * @return the new version
	 */
	public long patchState(String code, String token, StatePatchRequest request, Durability durability) {
		return patchState(code, credential(token), request, durability);
	}

	/**
	 * {@link #patchState(String, String, StatePatchRequest, Durability)} with a
	 * credential.
	 */
	public long patchState(String code, Credential tokenHash, StatePatchRequest request, Durability durability) {
		long stateLimit = this.properties.getLimits().getStateBytes().toBytes();
		return update(code, (room, now) -> {
			Caller caller = authenticate(room, tokenHash);
			requirePermission(room.access().permissions().state(), caller, "change the state");
			if (request.baseVersion() != null && request.baseVersion() != room.version()) {
				throw new RoomkeeperException(ProblemCode.VERSION_CONFLICT,
						"baseVersion " + request.baseVersion() + " is not the current version " + room.version());
			}
			ObjectNode state = JsonMergePatch.apply(room.state(), request.patch());
			checkSize("state", state, stateLimit);
			Room updated = room.edit()
				.state(state)
				.version(room.version() + 1)
				.build()
				.touchedBy(caller, now)
				.nextSeq();
			StateEvent event = new StateEvent(room.code(), now, updated.seq(), updated.version(), request.patch(),
					caller.by());
			return ChangeResult.save(updated, updated.version(), event);
		}, durability);
	}

	/**
	 * Records activity (clearing a pending warning) and that the member was seen; no
	 * event.
	 */
	public void keepAlive(String code, String token, Durability durability) {
		keepAlive(code, credential(token), durability);
	}

	/** {@link #keepAlive(String, String, Durability)} with a credential. */
	public void keepAlive(String code, Credential tokenHash, Durability durability) {
		update(code, (room, now) -> ChangeResult.save(room.touchedBy(authenticate(room, tokenHash), now), true),
				durability);
	}

	/** Who holds a token: the room it belongs to and the caller in that room. */
	public record TokenHolder(String code, Caller caller) {
	}

	/**
	 * Finds who holds a token, for a live (STOMP) connection: the room is named by the
	 * token itself ({@code CODE.secret}). Not activity.
	 * <p>
	 * A failure is a failed look-up of the address, like a wrong room code over REST, and
	 * gives one answer whatever failed (a malformed token, no such room, a token that is
	 * not one of the room's), so the answer does not tell which room codes exist; the
	 * token is hashed on every path, so neither does the time taken.
	 * @throws RoomkeeperException {@code rate-limited} if the address used up its failed
	 * look-ups, {@code unauthorized} if the token is not one of an open room's
	 */
	public TokenHolder identify(String token, String address) {
		this.lookupLimiter.check(address);
		String tokenHash = Secrets.hashToken(token);
		Optional<TokenHolder> holder = Secrets.roomCodeOf(token)
			.flatMap(this::findOpen)
			.flatMap((room) -> Caller.of(room, tokenHash).map((caller) -> new TokenHolder(room.code(), caller)));
		if (holder.isEmpty()) {
			this.lookupLimiter.recordFailure(address);
			throw new RoomkeeperException(ProblemCode.UNAUTHORIZED, INVALID_TOKEN_MESSAGE);
		}
		return holder.get();
	}

	/**
	 * The room seen by the holder of a token, for a live snapshot.
	 * @param activity whether the look-up counts as activity (a SEND to {@code snapshot}
	 * does; the snapshot after a SUBSCRIBE does not)
	 */
	public Room snapshot(String code, String token, boolean activity) {
		return snapshot(code, credential(token), activity);
	}

	/** {@link #snapshot(String, String, boolean)} with a credential. */
	public Room snapshot(String code, Credential tokenHash, boolean activity) {
		if (activity) {
			return update(code, (room, now) -> {
				Room touched = room.touchedBy(authenticate(room, tokenHash), now);
				return ChangeResult.save(touched, touched);
			}, Durability.ACTIVITY);
		}
		Room room = findOpen(code).orElseThrow(() -> RoomkeeperException.roomNotFound(displayCode(code)));
		authenticate(room, tokenHash);
		return room;
	}

	/**
	 * Sends {@code data} to everyone in the room (event {@code message}); the data is not
	 * part of the room, only of its history ({@link RoomHistory}). Counts as activity;
	 * the new {@code seq}, activity time and history are stored as
	 * {@link Durability#ACTIVITY} (within {@code rooms.store.activity-flush-interval}).
	 */
	public void broadcast(String code, String token, JsonNode data) {
		broadcast(code, credential(token), data);
	}

	/** {@link #broadcast(String, String, JsonNode)} with a credential. */
	public void broadcast(String code, Credential tokenHash, JsonNode data) {
		update(code, (room, now) -> broadcastChange(room, now, tokenHash, data), Durability.ACTIVITY);
	}

	/**
	 * {@link #broadcast(String, Credential, JsonNode)} for a caller that does not wait
	 * until the message is stored: checks that fail at once are thrown, and the stage
	 * fails with those that come later (the Redis store may answer after this returns).
	 * Messages of one room are still stored, and published, in the order asked for.
	 */
	public CompletionStage<Void> broadcastInBackground(String code, Credential tokenHash, JsonNode data) {
		String normalized = normalizedOrNotFound(code);
		return this.repository.updateInBackground(normalized,
				onOpenRoom(normalized, (room, now) -> broadcastChange(room, now, tokenHash, data)), Durability.ACTIVITY)
			.thenApply((result) -> {
				if (result.isEmpty()) {
					throw RoomkeeperException.roomNotFound(normalized);
				}
				return null;
			});
	}

	private static ChangeResult<Boolean> broadcastChange(Room room, Instant now, Credential tokenHash, JsonNode data) {
		Caller caller = authenticate(room, tokenHash);
		requirePermission(room.access().permissions().broadcast(), caller, "send messages");
		Room updated = room.editTouchedBy(caller, now).seq(room.seq() + 1).build();
		MessageEvent event = new MessageEvent(room.code(), now, updated.seq(), caller.by(), data);
		return ChangeResult.save(updated, true, event);
	}

	/**
	 * Replaces the caller's member metadata (event {@code presence}). Counts as activity;
	 * stored within {@code rooms.store.flush-interval}. The bare owner token is not a
	 * member and gets {@code forbidden}.
	 */
	public void updatePresence(String code, String token, ObjectNode metadata) {
		updatePresence(code, credential(token), metadata);
	}

	/** {@link #updatePresence(String, String, ObjectNode)} with a credential. */
	public void updatePresence(String code, Credential tokenHash, ObjectNode metadata) {
		checkSize("metadata", metadata, this.properties.getLimits().getMessageBytes().toBytes());
		update(code, (room, now) -> {
			Caller caller = authenticate(room, tokenHash);
			if (caller.memberId() == null) {
				throw new RoomkeeperException(ProblemCode.FORBIDDEN,
						"The owner token is not a member; join with it to have presence");
			}
			Room updated = room.withMember(caller.memberId(), (member) -> member.withMetadata(metadata))
				.touchedBy(caller, now)
				.nextSeq();
			PresenceEvent event = new PresenceEvent(room.code(), now, updated.seq(), caller.memberId(), metadata);
			return ChangeResult.save(updated, true, event);
		}, Durability.DEFERRED);
	}

	/**
	 * Marks a member connected (event {@code member-connected}) when it opened its first
	 * live connection. Not activity. Does nothing if the room or member is gone or the
	 * member is already shown connected.
	 */
	public void memberConnected(String code, String memberId) {
		changePresence(code, memberId, true);
	}

	/**
	 * Marks a member disconnected (event {@code member-disconnected} with
	 * {@code lastSeenAt}) when its last live connection closed. Not activity. Does
	 * nothing if the room or member is gone or the member is already shown disconnected.
	 */
	public void memberDisconnected(String code, String memberId) {
		changePresence(code, memberId, false);
	}

	private void changePresence(String code, String memberId, boolean connected) {
		this.repository.update(code, (room) -> {
			Instant now = this.clock.instant();
			Optional<Member> member = room.member(memberId);
			if (member.isEmpty() || member.get().connected() == connected || isExpired(room, now)) {
				return ChangeResult.unchanged(false);
			}
			Room updated = room.withMember(memberId, (found) -> found.withPresence(connected, now)).nextSeq();
			RoomTopicEvent event = connected ? new MemberConnectedEvent(room.code(), now, updated.seq(), memberId)
					: new MemberDisconnectedEvent(room.code(), now, updated.seq(), memberId, now);
			return ChangeResult.save(updated, true, event);
		}, Durability.DEFERRED);
	}

	/**
	 * Runs a change on an open room, with the time of the change; {@code room-not-found}
	 * if the room does not exist or has expired.
	 */
	<R> R update(String code, TimedChange<R> change, Durability durability) {
		String normalized = normalizedOrNotFound(code);
		return this.repository.update(normalized, onOpenRoom(normalized, change), durability)
			.orElseThrow(() -> RoomkeeperException.roomNotFound(normalized));
	}

	private static String normalizedOrNotFound(String code) {
		return RoomCodes.normalizeIfValid(code).orElseThrow(() -> RoomkeeperException.roomNotFound(displayCode(code)));
	}

	/** The change with the time of the change, on a room that has not expired. */
	private <R> RoomChange<R> onOpenRoom(String normalized, TimedChange<R> change) {
		return (room) -> {
			Instant now = this.clock.instant();
			if (isExpired(room, now)) {
				throw RoomkeeperException.roomNotFound(normalized);
			}
			return change.apply(room, now);
		};
	}

	/** A change that also gets the current time. */
	@FunctionalInterface
	interface TimedChange<R> {

		ChangeResult<R> apply(Room room, Instant now);

	}

	public boolean isExpired(Room room, Instant now) {
		return !now.isBefore(room.expiresAt(this.properties.getIdleTimeout()));
	}

	private static Caller authenticate(Room room, Credential credential) {
		if (credential.server()) {
			return Caller.SERVER;
		}
		return Caller.of(room, credential.tokenHash())
			.orElseThrow(() -> new RoomkeeperException(ProblemCode.UNAUTHORIZED,
					"A member or owner token of this room is required"));
	}

	private static void requirePermission(String level, Caller caller, String what) {
		if (!RoomAccess.Permissions.allows(level, caller)) {
			throw new RoomkeeperException(ProblemCode.FORBIDDEN, "In this room only the "
					+ (RoomAccess.Permissions.SERVER.equals(level) ? "app's server" : level) + " may " + what);
		}
	}

	private static void requireOwner(Caller caller) {
		if (!caller.owner()) {
			throw new RoomkeeperException(ProblemCode.FORBIDDEN, "Only the room's owner may do this");
		}
	}

	private void checkSize(String what, ObjectNode value, long limit) {
		if (value != null && this.jsonMapper.writeValueAsBytes(value).length > limit) {
			throw RoomkeeperException.payloadTooLarge(what, limit);
		}
	}

	private static String displayCode(String code) {
		return RoomCodes.normalizeIfValid(code).orElse("(invalid code)");
	}

	private static ObjectNode emptyObject() {
		return JsonNodeFactory.instance.objectNode();
	}

}
