package dev.roomkeeper.store.local;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.room.ChangeResult;
import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.Member;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.support.TestRooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link LocalRoomTable#loadAll}: the rooms of a start-up go in at once, each ordered
 * index built from sorted entries, and the table answers every lifecycle query as one
 * whose rooms were put in one by one, before and after later changes.
 */
class LocalRoomTableLoadTests {

	private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static LocalRoomTable table() {
		return new LocalRoomTable(new RoomEventBus(JSON), (code, durability) -> LocalRoomTable.Ticket.DONE);
	}

	/**
	 * Rooms active at one of few instants (so many tie and are ordered by code), some
	 * warned, some with connected or disconnected members.
	 */
	private static List<Room> rooms(int count, long seed) {
		Random random = new Random(seed);
		List<Room> rooms = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Instant active = NOW.minusSeconds(random.nextInt(50));
			List<Member> members = new ArrayList<>();
			for (int m = random.nextInt(3); m > 0; m--) {
				members.add(TestRooms.member("m" + m, "Member " + m, NOW.minusSeconds(100))
					.withPresence(random.nextBoolean(), NOW.minusSeconds(random.nextInt(50))));
			}
			rooms.add(TestRooms.room(String.format("R%05d", (i * 7919) % 100_000), NOW.minusSeconds(100))
				.edit()
				.lastActivityAt(active)
				.warnedAt(random.nextInt(4) == 0 ? active.plusSeconds(1) : null)
				.members(members)
				.build());
		}
		return rooms;
	}

	@Test
	void answersAsATableFilledRoomByRoom() {
		List<Room> rooms = rooms(2_000, 1);
		LocalRoomTable loaded = table();
		loaded.loadAll(rooms);
		LocalRoomTable created = table();
		rooms.forEach(created::create);
		assertSameAnswers(loaded, created);

		// later changes move the entries that were built in bulk
		Random random = new Random(2);
		for (int i = 0; i < 500; i++) {
			Room room = rooms.get(random.nextInt(rooms.size()));
			boolean delete = random.nextInt(5) == 0;
			Instant at = NOW.plusSeconds(random.nextInt(20));
			for (LocalRoomTable table : List.of(loaded, created)) {
				table.update(room.code(),
						(current) -> delete ? ChangeResult.delete(null)
								: ChangeResult.save(current.touched(at).edit().members(List.of()).build(), null),
						Durability.DEFERRED);
			}
		}
		assertSameAnswers(loaded, created);
		assertThat(loaded.count()).isEqualTo(created.count()).isLessThan(rooms.size());
	}

	@Test
	void aCodeGivenTwiceIsIndexedOnceAsTheRoomKept() {
		Room first = TestRooms.room("TWICE1", NOW.minusSeconds(10));
		Room second = first.touched(NOW);
		LocalRoomTable table = table();
		table.loadAll(List.of(first, second));
		Room kept = table.current("TWICE1");
		assertThat(table.findInactiveSince(NOW.plusSeconds(1), 10)).containsExactly("TWICE1");
		assertThat(table.findInactiveSince(kept.lastActivityAt().minusNanos(1), 10)).isEmpty();
		assertThat(table.totals().rooms()).isEqualTo(1);
	}

	@Test
	void loadsOnlyIntoAnEmptyTable() {
		LocalRoomTable table = table();
		table.create(TestRooms.room("FIRST1", NOW));
		assertThatIllegalStateException().isThrownBy(() -> table.loadAll(List.of(TestRooms.room("OTHER1", NOW))));
		assertThat(table.count()).isEqualTo(1);
	}

	private static void assertSameAnswers(LocalRoomTable actual, LocalRoomTable expected) {
		for (int seconds = -60; seconds <= 30; seconds += 3) {
			Instant cutoff = NOW.plusSeconds(seconds);
			for (int limit : new int[] { 1, 7, 100_000 }) {
				assertThat(actual.findInactiveSince(cutoff, limit))
					.isEqualTo(expected.findInactiveSince(cutoff, limit));
				assertThat(actual.findUnwarnedInactiveSince(cutoff, limit))
					.isEqualTo(expected.findUnwarnedInactiveSince(cutoff, limit));
				assertThat(actual.findWithMembersDisconnectedSince(cutoff, limit))
					.isEqualTo(expected.findWithMembersDisconnectedSince(cutoff, limit));
				assertThat(actual.findMostRecentlyActive(cutoff, NOW.plusSeconds(10), 3, limit))
					.isEqualTo(expected.findMostRecentlyActive(cutoff, NOW.plusSeconds(10), 3, limit));
			}
			assertThat(actual.countActiveAfter(cutoff)).isEqualTo(expected.countActiveAfter(cutoff));
			assertThat(actual.totalsInactiveSince(cutoff)).isEqualTo(expected.totalsInactiveSince(cutoff));
		}
		assertThat(actual.findWithoutConnectedMembers(100_000))
			.isEqualTo(expected.findWithoutConnectedMembers(100_000));
		assertThat(actual.totals()).isEqualTo(expected.totals());
		assertThat(actual.findInactiveSince(NOW.plusSeconds(60), 100_000)).isNotEmpty();
	}

}
