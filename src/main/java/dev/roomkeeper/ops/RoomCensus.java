package dev.roomkeeper.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

import org.springframework.stereotype.Component;

import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.room.RoomService;

/**
 * Counts the open rooms and their members by walking the store a page at a time
 * ({@link RoomRepository#findPage}), so no count ever holds every room. Rooms past their
 * idle timeout that the sweeper has not closed yet are not counted: for users they are
 * already gone.
 */
@Component
public class RoomCensus {

	/** Rooms read per page of a walk. */
	static final int PAGE_SIZE = 500;

	/** How long the totals for metrics are reused: one scrape reads several gauges. */
	private static final Duration TOTALS_TTL = Duration.ofSeconds(1);

	/** Most recently active first; the code breaks ties so pages are stable. */
	static final Comparator<ActiveRoom> MOST_RECENTLY_ACTIVE = Comparator.comparing(ActiveRoom::lastActivityAt)
		.reversed()
		.thenComparing(ActiveRoom::code);

	private final RoomRepository repository;

	private final RoomService rooms;

	private final Clock clock;

	private final Object totalsMonitor = new Object();

	private Totals totals;

	private long totalsTakenAt;

	public RoomCensus(RoomRepository repository, RoomService rooms, Clock clock) {
		this.repository = repository;
		this.rooms = rooms;
		this.clock = clock;
	}

	/**
	 * Counts the open rooms and members now, and lists a window of the most recently
	 * active rooms; the walk keeps only {@code skip + top} of them.
	 * @param skip how many of the most recently active rooms to leave out of the list
	 * @param top how many rooms to list after those
	 */
	public Census take(int skip, int top) {
		Instant now = this.clock.instant();
		int keep = (int) Math.min(Integer.MAX_VALUE, (long) skip + top);
		PriorityQueue<ActiveRoom> mostActive = new PriorityQueue<>(MOST_RECENTLY_ACTIVE.reversed());
		int roomCount = 0;
		int memberCount = 0;
		String after = null;
		while (true) {
			List<Room> page = this.repository.findPage(after, PAGE_SIZE);
			for (Room room : page) {
				if (this.rooms.isExpired(room, now)) {
					continue;
				}
				roomCount++;
				memberCount += room.members().size();
				if (keep > 0) {
					mostActive.add(ActiveRoom.of(room));
					if (mostActive.size() > keep) {
						mostActive.poll();
					}
				}
			}
			if (page.isEmpty()) {
				break;
			}
			after = page.get(page.size() - 1).code();
		}
		List<ActiveRoom> list = new ArrayList<>(mostActive);
		list.sort(MOST_RECENTLY_ACTIVE);
		List<ActiveRoom> window = (skip >= list.size()) ? List.of() : list.subList(skip, list.size());
		return new Census(roomCount, memberCount, List.copyOf(window), now);
	}

	/**
	 * The open rooms and members, at most a second old: what the gauges of a scrape read.
	 */
	public Totals totals() {
		synchronized (this.totalsMonitor) {
			long now = System.nanoTime();
			if (this.totals == null || now - this.totalsTakenAt > TOTALS_TTL.toNanos()) {
				Census census = take(0, 0);
				this.totals = new Totals(census.rooms(), census.members());
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
