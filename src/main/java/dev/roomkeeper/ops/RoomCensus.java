package dev.roomkeeper.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.stereotype.Component;

import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomActivity;
import dev.roomkeeper.room.RoomService;

/**
 * Counts the open rooms and their members, and lists the most recently active ones, from
 * what the store keeps as rooms change ({@link RoomActivity}): its totals, less the rooms
 * past their idle timeout that the sweeper has not closed yet, and a page of its index by
 * last activity. Nothing here reads every room, so a count costs the same with 100 rooms
 * or 100,000.
 * <p>
 * Rooms past their idle timeout are not counted or listed (for users they are already
 * gone): they are read to subtract their members, which costs in proportion to them; the
 * sweeper closes them at start-up and every {@code rooms.sweep-interval}, so they are few
 * (with {@code rooms.sweep-enabled=false} they pile up until a read or an eviction closes
 * them, and so does the cost of a count).
 */
@Component
public class RoomCensus {

	/**
	 * How far ahead of now a room's last activity marks it as a room the webhook outbox
	 * keeps closed until its webhooks are sent (it parks them a century ahead, past every
	 * lifecycle query): such rooms are neither counted nor listed.
	 */
	static final Duration PARKED_AHEAD = Duration.ofDays(365);

	/** How long the totals for metrics are reused: one scrape reads several gauges. */
	private static final Duration TOTALS_TTL = Duration.ofSeconds(1);

	private final RoomActivity store;

	private final RoomService rooms;

	private final Clock clock;

	private final Object totalsMonitor = new Object();

	private Totals totals;

	private long totalsTakenAt;

	/**
	 * A census of the store behind every decorator (the repository bean itself, which
	 * implements {@link RoomActivity}).
	 */
	public RoomCensus(RoomActivity store, RoomService rooms, Clock clock) {
		this.store = store;
		this.rooms = rooms;
		this.clock = clock;
	}

	/**
	 * Counts the open rooms and members now, and lists a window of the most recently
	 * active rooms (ties by code), read a page from the store's activity index.
	 * @param skip how many of the most recently active rooms to leave out of the list
	 * @param top how many rooms to list after those (0: no list)
	 */
	public Census take(int skip, int top) {
		Instant now = this.clock.instant();
		Instant idleCutoff = now.minus(this.rooms.idleTimeout());
		Totals open = count(now, idleCutoff);
		List<ActiveRoom> list = List.of();
		// Past the open rooms there is nothing to list: no walk to the offset.
		if (top > 0 && skip < open.rooms()) {
			list = this.store.findMostRecentlyActive(idleCutoff, now.plus(PARKED_AHEAD), skip, top)
				.stream()
				.filter((room) -> !this.rooms.isExpired(room, now))
				.map(ActiveRoom::of)
				.toList();
		}
		return new Census(open.rooms(), open.members(), list, now);
	}

	/**
	 * The store's totals less the rooms past their idle timeout (and their members) and
	 * the parked ones (no members).
	 */
	private Totals count(Instant now, Instant idleCutoff) {
		RoomActivity.Totals all = this.store.totals();
		RoomActivity.Totals expired = this.store.totalsInactiveSince(idleCutoff);
		int parked = this.store.countActiveAfter(now.plus(PARKED_AHEAD));
		return new Totals(clamp(all.rooms() - expired.rooms() - parked), clamp(all.members() - expired.members()));
	}

	/**
	 * A count that raced a change may be off by that change; never below zero, never past
	 * an int.
	 */
	private static int clamp(long count) {
		return (int) Math.max(0, Math.min(Integer.MAX_VALUE, count));
	}

	/**
	 * The open rooms and members, at most a second old: what the gauges of a scrape read.
	 */
	public Totals totals() {
		synchronized (this.totalsMonitor) {
			long now = System.nanoTime();
			if (this.totals == null || now - this.totalsTakenAt > TOTALS_TTL.toNanos()) {
				Instant at = this.clock.instant();
				this.totals = count(at, at.minus(this.rooms.idleTimeout()));
				this.totalsTakenAt = now;
			}
			return this.totals;
		}
	}

	/**
	 * A count of open rooms.
	 *
	 * @param rooms open rooms
	 * @param members members of open rooms
	 * @param list the requested window of the most recently active rooms, most recent
	 * first
	 * @param at when the count was taken
	 */
	public record Census(int rooms, int members, List<ActiveRoom> list, Instant at) {
	}

	/**
	 * Totals for metrics.
	 *
	 * @param rooms open rooms
	 * @param members members of open rooms
	 */
	public record Totals(int rooms, int members) {
	}

	/**
	 * What the census keeps of a room: no state, no secrets.
	 *
	 * @param code the room code
	 * @param name the room name
	 * @param members how many members joined
	 * @param createdAt when the room was created
	 * @param lastActivityAt the room's last activity
	 */
	public record ActiveRoom(String code, String name, int members, Instant createdAt, Instant lastActivityAt) {

		static ActiveRoom of(Room room) {
			return new ActiveRoom(room.code(), room.name(), room.members().size(), room.createdAt(),
					room.lastActivityAt());
		}

	}

}
