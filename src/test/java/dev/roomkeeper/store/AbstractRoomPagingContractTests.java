package dev.roomkeeper.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.Secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The {@link RoomRepository#findPage} part of the repository contract, run against every
 * store: extend it and create the store under test.
 */
public abstract class AbstractRoomPagingContractTests {

	private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

	private RoomRepository repository;

	/** A new, empty store. */
	protected abstract RoomRepository createRepository() throws Exception;

	@BeforeEach
	void createStore() throws Exception {
		this.repository = createRepository();
	}

	@Test
	void findPageOfEmptyStoreIsEmpty() {
		assertThat(this.repository.findPage(null, 10)).isEmpty();
	}

	@Test
	void findPageWalksEveryRoomOnceInCodeOrder() {
		Set<String> codes = new TreeSet<>();
		for (int i = 0; i < 57; i++) {
			String code = "ROOM-" + (char) ('A' + i % 26) + i;
			codes.add(code);
			assertThat(this.repository.create(room(code))).isTrue();
		}
		List<String> walked = walk(10);
		assertThat(walked).containsExactlyElementsOf(codes);
	}

	@Test
	void findPageStartsAfterGivenCodeAndHonoursLimit() {
		for (String code : List.of("CCC", "AAA", "EEE", "BBB", "DDD")) {
			this.repository.create(room(code));
		}
		assertThat(codes(this.repository.findPage(null, 2))).containsExactly("AAA", "BBB");
		assertThat(codes(this.repository.findPage("BBB", 2))).containsExactly("CCC", "DDD");
		assertThat(codes(this.repository.findPage("BB", 1))).containsExactly("BBB");
		assertThat(this.repository.findPage("EEE", 2)).isEmpty();
	}

	@Test
	void findPageReturnsRoomsAsStored() {
		Room room = room("ABC234");
		this.repository.create(room);
		assertThat(this.repository.findPage(null, 5)).containsExactly(room);
	}

	@Test
	void roomsDeletedDuringWalkDoNotEndItEarly() {
		for (String code : List.of("AAA", "BBB", "CCC", "DDD", "EEE", "FFF")) {
			this.repository.create(room(code));
		}
		List<Room> first = this.repository.findPage(null, 2);
		for (String code : List.of("CCC", "DDD")) {
			this.repository.update(code, (current) -> ChangeResult.delete(true), Durability.DURABLE);
		}
		List<Room> next = this.repository.findPage(first.get(first.size() - 1).code(), 2);
		assertThat(codes(next)).containsExactly("EEE", "FFF");
	}

	@Test
	void limitBelowOneIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.repository.findPage(null, 0));
	}

	private List<String> walk(int pageSize) {
		List<String> walked = new ArrayList<>();
		String after = null;
		while (true) {
			List<Room> page = this.repository.findPage(after, pageSize);
			if (page.isEmpty()) {
				return walked;
			}
			assertThat(page).hasSizeLessThanOrEqualTo(pageSize);
			walked.addAll(codes(page));
			after = page.get(page.size() - 1).code();
		}
	}

	private static List<String> codes(List<Room> rooms) {
		return rooms.stream().map(Room::code).toList();
	}

	protected static Room room(String code) {
		return new Room(code, "Room " + code, null, Secrets.hashToken(code + ".owner"), false, false, 8, List.of(),
				JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode(), 0, 0, NOW, NOW, null);
	}

}
