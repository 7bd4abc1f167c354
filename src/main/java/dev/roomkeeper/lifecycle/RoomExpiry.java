package dev.roomkeeper.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.roomkeeper.room.ChangeResult;
import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.Member;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomProperties;
import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.room.RoomService;
import dev.roomkeeper.room.event.ClosedEvent;
import dev.roomkeeper.room.event.MemberRemovedEvent;
import dev.roomkeeper.room.event.RoomTopicEvent;
import dev.roomkeeper.room.event.WarningEvent;
import dev.roomkeeper.system.LogLine;

/**
 * The sweeper's changes to one room: close it once idle, warn it before, remove its stale
 * members. Each is one atomic {@link RoomRepository#update} that re-checks the room as it
 * is then (it may have been active since the sweeper listed it), with the rules of
 * {@link RoomService} (idle timeout, expiry).
 */
final class RoomExpiry {

	private static final Log log = LogFactory.getLog(RoomExpiry.class);

	private final RoomService rooms;

	private final RoomRepository repository;

	private final RoomProperties properties;

	private final Clock clock;

	RoomExpiry(RoomService rooms, RoomRepository repository, RoomProperties properties, Clock clock) {
		this.rooms = rooms;
		this.repository = repository;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Closes the room if it is past its idle timeout: see
	 * {@link RoomService#closeIfInactive}.
	 */
	boolean closeIfInactive(String code, Durability durability) {
		return this.rooms.closeIfInactive(code, durability);
	}

	/**
	 * Sends the one closing-soon {@code warning} of the room's current idle period
	 * ({@code closesAt}, {@code secondsRemaining}) once it is within
	 * {@code rooms.warning-before} of its idle timeout. Does nothing if the room was
	 * warned already in this idle period, is not due yet, has expired (it is closed
	 * instead), or is gone, or if {@code rooms.warning-before} is zero. A warning is not
	 * activity; the next activity clears it ({@link Room#touched}).
	 * @return whether this call warned the room
	 */
	boolean warnIfClosingSoon(String code, Durability durability) {
		Duration warningBefore = this.properties.getWarningBefore();
		if (warningBefore.isZero() || warningBefore.isNegative()) {
			return false;
		}
		return this.repository.update(code, (room) -> {
			Instant now = this.clock.instant();
			Instant closesAt = room.expiresAt(this.rooms.idleTimeout());
			if (room.warnedAt() != null || this.rooms.isExpired(room, now)
					|| now.isBefore(closesAt.minus(warningBefore))) {
				return ChangeResult.unchanged(false);
			}
			Room warned = room.edit().warnedAt(now).build().nextSeq();
			return ChangeResult.save(warned, true,
					new WarningEvent(room.code(), now, warned.seq(), closesAt, secondsUntil(now, closesAt)));
		}, durability).orElse(false);
	}

	private static long secondsUntil(Instant now, Instant then) {
		Duration remaining = Duration.between(now, then);
		long seconds = remaining.getSeconds();
		return (remaining.getNano() > 0) ? seconds + 1 : seconds;
	}

	/**
	 * Removes the members that have been disconnected for longer than
	 * {@code rooms.presence.stale-after} ({@code member-removed}, {@code stale}, one
	 * event each). Not activity. With {@code rooms.delete-when-empty} a room left without
	 * members closes ({@code closed}, {@code empty}). Does nothing to an expired room (it
	 * is closed instead) or a room that is gone.
	 * @return the number of members removed
	 */
	int removeStaleMembers(String code, Durability durability) {
		Duration staleAfter = this.properties.getPresence().getStaleAfter();
		StaleRemoval removal = this.repository.update(code, (room) -> {
			Instant now = this.clock.instant();
			if (this.rooms.isExpired(room, now)) {
				return ChangeResult.unchanged(StaleRemoval.NONE);
			}
			Instant cutoff = now.minus(staleAfter);
			List<Member> stale = room.members()
				.stream()
				.filter((member) -> !member.connected() && !member.lastSeenOrJoinedAt().isAfter(cutoff))
				.toList();
			if (stale.isEmpty()) {
				return ChangeResult.unchanged(StaleRemoval.NONE);
			}
			Room updated = room;
			List<RoomTopicEvent> events = new ArrayList<>(stale.size() + 1);
			for (Member member : stale) {
				updated = updated.withoutMember(member.id()).nextSeq();
				events.add(new MemberRemovedEvent(room.code(), now, updated.seq(), member.id(), "stale"));
			}
			if (this.properties.isDeleteWhenEmpty() && updated.members().isEmpty()) {
				events.add(new ClosedEvent(room.code(), now, updated.seq() + 1, "empty"));
				return new ChangeResult<>(null, true, events, new StaleRemoval(stale.size(), true));
			}
			return new ChangeResult<>(updated, false, events, new StaleRemoval(stale.size(), false));
		}, durability).orElse(StaleRemoval.NONE);
		if (removal.members() > 0) {
			log.info(LogLine.of("members-removed")
				.with("room", code)
				.with("reason", "stale")
				.with("members", removal.members()));
			if (removal.closed()) {
				log.info(LogLine.of("room-closed").with("room", code).with("reason", "empty"));
			}
		}
		return removal.members();
	}

	private record StaleRemoval(int members, boolean closed) {

		static final StaleRemoval NONE = new StaleRemoval(0, false);

	}

}
