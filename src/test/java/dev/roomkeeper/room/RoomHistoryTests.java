package dev.roomkeeper.room;

import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class RoomHistoryTests {

	private static List<HistoryEvent> events(long from, long to) {
		return LongStream.rangeClosed(from, to)
			.mapToObj((seq) -> new HistoryEvent(seq, "{\"seq\":" + seq + "}"))
			.toList();
	}

	private static List<Long> seqs(RoomHistory.Page page) {
		return page.events().stream().map(HistoryEvent::seq).toList();
	}

	@Test
	void appendedKeepsTheLastSizeEventsAndTheEpoch() {
		RoomHistory fresh = RoomHistory.fresh();
		RoomHistory history = fresh.appended(events(1, 3), 5).appended(events(4, 9), 5);

		assertThat(history.events()).extracting(HistoryEvent::seq).containsExactly(5L, 6L, 7L, 8L, 9L);
		assertThat(history.epoch()).isEqualTo(fresh.epoch());
		assertThat(RoomHistory.fresh().appended(events(1, 3), 0).events()).isEmpty();
	}

	@Test
	void freshHistoriesHaveDifferentEpochsAndANewEpochKeepsTheEvents() {
		RoomHistory history = RoomHistory.fresh().appended(events(1, 2), 10);
		RoomHistory renewed = history.withNewEpoch();

		assertThat(RoomHistory.fresh().epoch()).isNotEqualTo(RoomHistory.fresh().epoch());
		assertThat(renewed.epoch()).isNotEqualTo(history.epoch());
		assertThat(renewed.events()).isEqualTo(history.events());
		assertThat(history.withoutEvents().events()).isEmpty();
		assertThat(history.withoutEvents().epoch()).isEqualTo(history.epoch());
	}

	@Test
	void afterWhenEveryEventIsHeldThenCompleteAndPagedByLimit() {
		RoomHistory history = RoomHistory.fresh().appended(events(11, 20), 10);

		assertThat(seqs(history.after(14L, 20, 100))).containsExactly(15L, 16L, 17L, 18L, 19L, 20L);
		assertThat(history.after(14L, 20, 100).complete()).isTrue();
		assertThat(seqs(history.after(10L, 20, 3))).containsExactly(11L, 12L, 13L);
		assertThat(history.after(10L, 20, 3).complete()).isTrue();
		assertThat(history.after(20L, 20, 100).events()).isEmpty();
		assertThat(history.after(20L, 20, 100).complete()).isTrue();
		assertThat(seqs(history.after(null, 20, 2))).containsExactly(19L, 20L);
		assertThat(history.after(null, 20, 2).complete()).isTrue();
	}

	@Test
	void afterWhenEventsAreNoLongerHeldOrSeqJumpedThenIncomplete() {
		RoomHistory history = RoomHistory.fresh().appended(events(11, 20), 10);

		assertThat(history.after(9L, 20, 100).complete()).isFalse();
		assertThat(history.after(21L, 20, 100).complete()).isFalse();
		// after a crash the room's seq was raised past the stored events
		assertThat(history.after(15L, 10_000_020, 100).complete()).isFalse();
		RoomHistory jumped = history.appended(List.of(new HistoryEvent(10_000_021, "{}")), 20);
		assertThat(jumped.after(15L, 10_000_021, 100).complete()).isFalse();
		assertThat(jumped.after(10_000_020L, 10_000_021, 100).complete()).isTrue();
		assertThat(RoomHistory.fresh().after(0L, 3, 100).complete()).isFalse();
	}

	@Test
	void storedAsRawJsonAndReadBack() {
		JsonMapper json = JsonMapper.builder().build();
		RoomHistory history = new RoomHistory("e1",
				List.of(new HistoryEvent(1, "{\"type\":\"message\",\"data\":{\"text\":\"hi \\\"you\\\"\"}}")));

		String written = json.writeValueAsString(history);

		assertThat(written).isEqualTo(
				"{\"epoch\":\"e1\",\"events\":[{\"seq\":1,\"json\":{\"type\":\"message\",\"data\":{\"text\":\"hi \\\"you\\\"\"}}}]}");
		assertThat(json.readValue(written, RoomHistory.class)).isEqualTo(history);
	}

}
