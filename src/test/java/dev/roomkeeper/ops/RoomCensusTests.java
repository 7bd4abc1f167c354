package dev.roomkeeper.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import dev.roomkeeper.room.ChangeResult;
import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.FailedLookupLimiter;
import dev.roomkeeper.room.Member;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomProperties;
import dev.roomkeeper.room.RoomService;
import dev.roomkeeper.room.Secrets;
import dev.roomkeeper.room.event.MemberRole;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.store.memory.InMemoryRoomRepository;

import static org.assertj.core.api.Assertions.assertThat;

class RoomCensusTests {

	private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final InMemoryRoomRepository repository = new InMemoryRoomRepository(new RoomEventBus(JSON));

	private final RoomCensus census = census(Duration.ofHours(1));

	@Test
	void countsOpenRoomsAndTheirMembers() {
		this.repository.create(room("AAA", NOW.minusSeconds(10), 3));
		this.repository.create(room("BBB", NOW.minusSeconds(20), 0));
		RoomCensus.Census census = this.census.take(0, 10);
		assertThat(census.rooms()).isEqualTo(2);
		assertThat(census.members()).isEqualTo(3);
		assertThat(census.at()).isEqualTo(NOW);
	}

	@Test
	void listsMostRecentlyActiveFirstWithCodeBreakingTies() {
		this.repository.create(room("OLD", NOW.minusSeconds(300), 1));
		this.repository.create(room("NEWEST", NOW.minusSeconds(1), 1));
		this.repository.create(room("TIE-B", NOW.minusSeconds(60), 1));
		this.repository.create(room("TIE-A", NOW.minusSeconds(60), 1));
		assertThat(this.census.take(0, 10).list()).extracting(RoomCensus.ActiveRoom::code)
			.containsExactly("NEWEST", "TIE-A", "TIE-B", "OLD");
	}

	@Test
	void skipAndTopSelectOneWindowOfTheOrder() {
		for (int i = 0; i < 10; i++) {
			this.repository.create(room("R" + i, NOW.minusSeconds(i), 0));
		}
		assertThat(this.census.take(3, 4).list()).extracting(RoomCensus.ActiveRoom::code)
			.containsExactly("R3", "R4", "R5", "R6");
		assertThat(this.census.take(8, 4).list()).extracting(RoomCensus.ActiveRoom::code).containsExactly("R8", "R9");
		assertThat(this.census.take(10, 4).list()).isEmpty();
		assertThat(this.census.take(10, 4).rooms()).isEqualTo(10);
	}

	@Test
	void roomsPastTheirIdleTimeoutAreNotCounted() {
		this.repository.create(room("OPEN", NOW.minus(Duration.ofMinutes(59)), 2));
		this.repository.create(room("GONE", NOW.minus(Duration.ofMinutes(61)), 5));
		RoomCensus.Census census = this.census.take(0, 10);
		assertThat(census.rooms()).isEqualTo(1);
		assertThat(census.members()).isEqualTo(2);
		assertThat(census.list()).extracting(RoomCensus.ActiveRoom::code).containsExactly("OPEN");
	}

	@Test
	void roomsTheWebhookOutboxKeepsClosedAreNotCountedOrListed() {
		this.repository.create(room("OPEN", NOW.minusSeconds(10), 2));
		// A closed room whose webhooks are not sent yet: no members, parked a century
		// ahead.
		this.repository.create(room("CLOSED", NOW.plus(Duration.ofDays(36_500)), 0));
		RoomCensus.Census census = this.census.take(0, 10);
		assertThat(census.rooms()).isEqualTo(1);
		assertThat(census.members()).isEqualTo(2);
		assertThat(census.list()).extracting(RoomCensus.ActiveRoom::code).containsExactly("OPEN");
		assertThat(this.census.totals()).isEqualTo(new RoomCensus.Totals(1, 2));
	}

	@Test
	void countsFollowTheRoomsWithoutWalkingThem() {
		this.repository.create(room("AAA", NOW.minusSeconds(10), 3));
		this.repository.create(room("GONE", NOW.minus(Duration.ofHours(2)), 4));
		this.repository.update("AAA", (room) -> ChangeResult.save(room.withoutMember("m0"), true), Durability.DURABLE);
		assertThat(this.census.take(0, 0)).satisfies((census) -> {
			assertThat(census.rooms()).isEqualTo(1);
			assertThat(census.members()).isEqualTo(2);
			assertThat(census.list()).isEmpty();
		});
		// The sweeper closes the expired room: nothing changes for the census.
		this.repository.update("GONE", (room) -> ChangeResult.delete(true), Durability.DURABLE);
		assertThat(this.census.take(0, 0).members()).isEqualTo(2);
	}

	@Test
	void countsAndListsAmongMoreRoomsThanAPage() {
		int count = 1017;
		for (int i = 0; i < count; i++) {
			this.repository.create(room(String.format("P%05d", i), NOW.minusMillis(i), 1));
		}
		RoomCensus.Census census = this.census.take(0, 3);
		assertThat(census.rooms()).isEqualTo(count);
		assertThat(census.members()).isEqualTo(count);
		assertThat(census.list()).extracting(RoomCensus.ActiveRoom::code).containsExactly("P00000", "P00001", "P00002");
	}

	private RoomCensus census(Duration idleTimeout) {
		RoomProperties properties = new RoomProperties();
		properties.setIdleTimeout(idleTimeout);
		Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
		RoomService rooms = new RoomService(this.repository, properties, new FailedLookupLimiter(properties, clock),
				JSON, clock);
		return new RoomCensus(this.repository, rooms, clock);
	}

	static Room room(String code, Instant lastActivityAt, int members) {
		List<Member> list = new ArrayList<>();
		for (int i = 0; i < members; i++) {
			list.add(new Member("m" + i, "Member " + i, MemberRole.MEMBER, Secrets.hashToken(code + ".m" + i), false,
					lastActivityAt, lastActivityAt, JsonNodeFactory.instance.objectNode()));
		}
		return new Room(code, code, null, Secrets.hashToken(code + ".owner"), false, false, 16, list,
				JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode(), 0, 0,
				lastActivityAt.minusSeconds(3600), lastActivityAt, null);
	}

}
