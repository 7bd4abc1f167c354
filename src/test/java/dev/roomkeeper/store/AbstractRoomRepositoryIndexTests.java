package dev.roomkeeper.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import dev.roomkeeper.room.Member;
import dev.roomkeeper.room.MemberRole;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.event.RoomEventBus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The lifecycle queries of the {@link RoomRepository} contract (inactive, unwarned,
 * members disconnected, without connected members), run against every store: each store
 * extends this class and says how to open its repository.
 */
public abstract class AbstractRoomRepositoryIndexTests {

	protected static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

	protected final JsonMapper jsonMapper = JsonMapper.builder().build();

	protected final RoomEventBus eventBus = new RoomEventBus(this.jsonMapper);

	protected RoomRepository repository;

	/** Opens the store under test, empty or with what an earlier repository stored. */
	protected abstract RoomRepository createRepository(RoomEventBus eventBus, JsonMapper jsonMapper);

	/** Closes a repository the test opened (flushing what it holds). */
	protected void closeRepository(RoomRepository repository) {
	}

	@BeforeEach
	void openRepository() {
		this.repository = createRepository(this.eventBus, this.jsonMapper);
	}

	@AfterEach
	void closeRepository() {
		closeRepository(this.repository);
	}

	@Test
	void findInactiveSinceReturnsRoomsActiveAtOrBeforeCutoffLeastRecentlyActiveFirst() {
		create(room("BBB", at(2)));
		create(room("AAA", at(0)));
		create(room("CCC", at(1)));
		create(room("DDD", at(5)));
		assertThat(this.repository.findInactiveSince(at(2), 10)).containsExactly("AAA", "CCC", "BBB");
		assertThat(this.repository.findInactiveSince(at(2), 2)).containsExactly("AAA", "CCC");
		assertThat(this.repository.findInactiveSince(at(0).minusNanos(1), 10)).isEmpty();
		assertThat(this.repository.findInactiveSince(at(9), 10)).containsExactly("AAA", "CCC", "BBB", "DDD");
	}

	@Test
	void findInactiveSinceWhenSameLastActivityThenOrderedByCode() {
		create(room("ZED", at(1)));
		create(room("ABC", at(1)));
		create(room("MID", at(1)));
		assertThat(this.repository.findInactiveSince(at(1), 10)).containsExactly("ABC", "MID", "ZED");
	}

	@Test
	void updateThatRecordsActivityMovesRoomToItsNewLastActivity() {
		create(room("AAA", at(0)));
		create(room("BBB", at(1)));
		this.repository.update("AAA", (room) -> ChangeResult.save(room.touched(at(5)), true), Durability.DURABLE);
		assertThat(this.repository.findInactiveSince(at(1), 10)).containsExactly("BBB");
		assertThat(this.repository.findInactiveSince(at(5), 10)).containsExactly("BBB", "AAA");
		assertThat(this.repository.findUnwarnedInactiveSince(at(5), 10)).containsExactly("BBB", "AAA");
		assertThat(this.repository.findWithoutConnectedMembers(10)).containsExactly("BBB", "AAA");
	}

	@Test
	void deletedRoomLeavesEveryIndex() {
		create(room("AAA", at(0), disconnected("m1", at(0))));
		create(room("BBB", at(1), disconnected("m2", at(1))));
		this.repository.update("AAA", (room) -> ChangeResult.delete(true), Durability.DURABLE);
		assertThat(this.repository.findInactiveSince(at(9), 10)).containsExactly("BBB");
		assertThat(this.repository.findUnwarnedInactiveSince(at(9), 10)).containsExactly("BBB");
		assertThat(this.repository.findWithMembersDisconnectedSince(at(9), 10)).containsExactly("BBB");
		assertThat(this.repository.findWithoutConnectedMembers(10)).containsExactly("BBB");
	}

	@Test
	void roomCreatedAgainWithCodeOfDeletedRoomIsIndexedAsTheNewRoom() {
		create(room("AAA", at(0)));
		this.repository.update("AAA", (room) -> ChangeResult.delete(true), Durability.DURABLE);
		create(room("AAA", at(3)));
		assertThat(this.repository.findInactiveSince(at(2), 10)).isEmpty();
		assertThat(this.repository.findInactiveSince(at(3), 10)).containsExactly("AAA");
	}

	@Test
	void changeThatFailsLeavesIndexesAsTheyWere() {
		create(room("AAA", at(0)));
		assertThatIllegalStateException().isThrownBy(() -> this.repository.update("AAA", (room) -> {
			throw new IllegalStateException("refused");
		}, Durability.DURABLE));
		assertThat(this.repository.findInactiveSince(at(0), 10)).containsExactly("AAA");
		assertThat(this.repository.findUnwarnedInactiveSince(at(0), 10)).containsExactly("AAA");
		assertThat(this.repository.findWithoutConnectedMembers(10)).containsExactly("AAA");
	}

	@Test
	void findUnwarnedInactiveSinceLeavesOutWarnedRoomsUntilTheirNextActivity() {
		create(room("AAA", at(0)));
		create(room("BBB", at(1)));
		this.repository.update("AAA", (room) -> ChangeResult.save(room.edit().warnedAt(at(4)).build(), true),
				Durability.DURABLE);
		assertThat(this.repository.findUnwarnedInactiveSince(at(9), 10)).containsExactly("BBB");
		assertThat(this.repository.findInactiveSince(at(9), 10)).containsExactly("AAA", "BBB");
		this.repository.update("AAA", (room) -> ChangeResult.save(room.touched(at(6)), true), Durability.DURABLE);
		assertThat(this.repository.findUnwarnedInactiveSince(at(9), 10)).containsExactly("BBB", "AAA");
	}

	@Test
	void findWithMembersDisconnectedSinceOrdersRoomsByTheirLongestGoneMember() {
		create(room("AAA", at(0), connected("a1", at(0)), disconnected("a2", at(4)), disconnected("a3", at(2))));
		create(room("BBB", at(0), disconnected("b1", at(3))));
		create(room("CCC", at(0), connected("c1", at(0))));
		create(room("DDD", at(0)));
		assertThat(this.repository.findWithMembersDisconnectedSince(at(9), 10)).containsExactly("AAA", "BBB");
		assertThat(this.repository.findWithMembersDisconnectedSince(at(2), 10)).containsExactly("AAA");
		assertThat(this.repository.findWithMembersDisconnectedSince(at(1), 10)).isEmpty();
		this.repository.update("AAA", (room) -> ChangeResult.save(room.withoutMember("a3"), true), Durability.DURABLE);
		assertThat(this.repository.findWithMembersDisconnectedSince(at(9), 10)).containsExactly("BBB", "AAA");
		this.repository.update("CCC",
				(room) -> ChangeResult.save(room.withMember("c1", (member) -> member.withPresence(false, at(1))), true),
				Durability.DURABLE);
		assertThat(this.repository.findWithMembersDisconnectedSince(at(9), 10)).containsExactly("CCC", "BBB", "AAA");
	}

	@Test
	void findWithoutConnectedMembersFollowsPresenceLeastRecentlyActiveFirst() {
		create(room("AAA", at(2), disconnected("a1", at(0))));
		create(room("BBB", at(0), connected("b1", at(0))));
		create(room("CCC", at(1)));
		assertThat(this.repository.findWithoutConnectedMembers(10)).containsExactly("CCC", "AAA");
		assertThat(this.repository.findWithoutConnectedMembers(1)).containsExactly("CCC");
		this.repository.update("BBB",
				(room) -> ChangeResult.save(room.withMember("b1", (member) -> member.withPresence(false, at(3))), true),
				Durability.DURABLE);
		this.repository.update("CCC", (room) -> ChangeResult.save(room.withAddedMember(connected("c1", at(3))), true),
				Durability.DURABLE);
		assertThat(this.repository.findWithoutConnectedMembers(10)).containsExactly("BBB", "AAA");
	}

	@Test
	void queriesReturnOnlyTheRoomsDueAmongMany() {
		List<String> due = new ArrayList<>();
		for (int i = 0; i < 60; i++) {
			String code = String.format("R%03d", i);
			boolean isDue = i % 20 == 0;
			create(room(code, isDue ? at(0) : at(10)));
			if (isDue) {
				due.add(code);
			}
		}
		assertThat(this.repository.findInactiveSince(at(5), 1000)).containsExactlyElementsOf(due);
		assertThat(this.repository.count()).isEqualTo(60);
	}

	protected void create(Room room) {
		assertThat(this.repository.create(room)).isTrue();
	}

	protected static Instant at(int minutes) {
		return T0.plus(Duration.ofMinutes(minutes));
	}

	protected static Room room(String code, Instant lastActivityAt, Member... members) {
		return new Room(code, code, null, "owner-hash-" + code, false, false, 16, List.of(members),
				JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode(), 0, 0, T0, lastActivityAt,
				null);
	}

	protected static Member connected(String id, Instant lastSeenAt) {
		return member(id, true, lastSeenAt);
	}

	protected static Member disconnected(String id, Instant lastSeenAt) {
		return member(id, false, lastSeenAt);
	}

	private static Member member(String id, boolean connected, Instant lastSeenAt) {
		return new Member(id, "name-" + id, MemberRole.MEMBER, "token-hash-" + id, connected, T0, lastSeenAt,
				JsonNodeFactory.instance.objectNode());
	}

}
