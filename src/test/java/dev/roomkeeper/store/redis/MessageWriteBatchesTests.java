package dev.roomkeeper.store.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The policy of {@link MessageWriteBatches}, with a sender that the test answers by hand:
 * one call at a time, the messages that wait going together in the next.
 */
class MessageWriteBatchesTests {

	private final List<Call> calls = new ArrayList<>();

	private final MessageWriteBatches batches = new MessageWriteBatches(List.of("events", "100"), (keys, args) -> {
		Call call = new Call(strings(keys), strings(args), new CompletableFuture<>());
		this.calls.add(call);
		return call.answer();
	});

	@Test
	void sendWhenNoCallIsUnderWayThenTheMessageGoesAtOnceAlone() {
		CompletableFuture<List<?>> answer = this.batches.send(List.of("room:A", "history:A"), List.of("0", "rev"));

		assertThat(this.calls).singleElement().satisfies((call) -> {
			assertThat(call.keys()).containsExactly("room:A", "history:A");
			assertThat(call.args()).containsExactly("events", "100", "1", "0", "rev");
		});
		assertThat(answer).isNotDone();
		this.calls.get(0).answer().complete(answers(List.of(1L)));
		assertThat(answer).isCompletedWithValue(List.of(1L));
	}

	@Test
	void sendWhileACallIsUnderWayThenTheWaitingMessagesGoTogetherWhenItIsAnsweredEachGettingItsOwnAnswer() {
		CompletableFuture<List<?>> first = this.batches.send(List.of("room:A"), List.of("a"));
		CompletableFuture<List<?>> second = this.batches.send(List.of("room:B"), List.of("b"));
		CompletableFuture<List<?>> third = this.batches.send(List.of("room:C", "index"), List.of("c1", "c2"));
		assertThat(this.calls).hasSize(1);

		this.calls.get(0).answer().complete(answers(List.of(1L)));

		assertThat(first).isCompletedWithValue(List.of(1L));
		assertThat(this.calls).hasSize(2);
		assertThat(this.calls.get(1).keys()).containsExactly("room:B", "room:C", "index");
		assertThat(this.calls.get(1).args()).containsExactly("events", "100", "2", "b", "c1", "c2");
		this.calls.get(1).answer().complete(answers(List.of(0L, bytes("rev"), bytes("r2")), List.of(3L, bytes("17"))));
		assertThat(second).isCompletedWithValue(List.of(0L, "rev", "r2"));
		assertThat(third).isCompletedWithValue(List.of(3L, "17"));

		this.batches.send(List.of("room:D"), List.of("d"));
		assertThat(this.calls).hasSize(3);
		assertThat(this.calls.get(2).args()).containsExactly("events", "100", "1", "d");
	}

	@Test
	void sendWhenMoreMessagesWaitThanOneCallTakesThenTheRestGoInTheFollowingCall() {
		this.batches.send(List.of("room:first"), List.of("first"));
		int waiting = MessageWriteBatches.MAX_MESSAGES + 3;
		for (int i = 0; i < waiting; i++) {
			this.batches.send(List.of("room:" + i), List.of(Integer.toString(i)));
		}

		this.calls.get(0).answer().complete(answers(List.of(1L)));
		assertThat(this.calls.get(1).args()).element(2).isEqualTo(Integer.toString(MessageWriteBatches.MAX_MESSAGES));
		this.calls.get(1)
			.answer()
			.complete(new ArrayList<>(java.util.Collections.nCopies(MessageWriteBatches.MAX_MESSAGES, List.of(1L))));
		assertThat(this.calls.get(2).args()).containsExactly("events", "100", "3", Integer.toString(waiting - 3),
				Integer.toString(waiting - 2), Integer.toString(waiting - 1));
	}

	@Test
	void sendWhenACallFailsThenEachOfItsMessagesFailsAndTheNextCallGoesAllTheSame() {
		List<CompletableFuture<List<?>>> secondCall = twoMessagesInTheSecondCall();

		this.batches.send(List.of("room:D"), List.of("d"));
		this.calls.get(1).answer().completeExceptionally(new IllegalStateException("connection reset"));

		assertThat(secondCall.get(0)).isCompletedExceptionally();
		assertThat(secondCall.get(1)).isCompletedExceptionally();
		assertThat(this.calls).hasSize(3);
		assertThat(this.calls.get(2).args()).containsExactly("events", "100", "1", "d");
	}

	@Test
	void sendWhenRedisAnswersFewerAnswersThanMessagesThenThoseWithoutOneFail() {
		List<CompletableFuture<List<?>>> secondCall = twoMessagesInTheSecondCall();

		this.calls.get(1).answer().complete(answers(List.of(1L)));

		assertThat(secondCall.get(0)).isCompletedWithValue(List.of(1L));
		assertThat(secondCall.get(1)).isCompletedExceptionally();
	}

	/**
	 * Room A's message sent and answered, while B's and C's waited: they are in the
	 * second call, under way. Returns their answers.
	 */
	private List<CompletableFuture<List<?>>> twoMessagesInTheSecondCall() {
		this.batches.send(List.of("room:A"), List.of("a"));
		CompletableFuture<List<?>> b = this.batches.send(List.of("room:B"), List.of("b"));
		CompletableFuture<List<?>> c = this.batches.send(List.of("room:C"), List.of("c"));
		this.calls.get(0).answer().complete(answers(List.of(1L)));
		assertThat(this.calls.get(1).keys()).containsExactly("room:B", "room:C");
		return List.of(b, c);
	}

	private static List<Object> answers(Object... each) {
		return List.of(each);
	}

	private static List<String> strings(byte[][] values) {
		return Arrays.stream(values).map((value) -> new String(value, StandardCharsets.UTF_8)).toList();
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private record Call(List<String> keys, List<String> args, CompletableFuture<List<Object>> answer) {

	}

}
