package dev.roomkeeper.room;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.roomkeeper.room.RoomWebhooks.PendingWebhook;

import static org.assertj.core.api.Assertions.assertThat;

class RoomWebhooksTests {

	private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	private static PendingWebhook webhook(String id, long seq, String... endpoints) {
		return new PendingWebhook(id, "room.state", seq, NOW, "{}", List.of(endpoints), List.of());
	}

	@Test
	void nextForIsTheFirstStillPendingForThatEndpoint() {
		RoomWebhooks outbox = RoomWebhooks.NONE.plus(List.of(webhook("a", 1, "e1", "e2"), webhook("b", 2, "e1")));

		assertThat(outbox.nextFor("e1").id()).isEqualTo("a");
		RoomWebhooks afterA = outbox.delivered("a", "e1");
		assertThat(afterA.nextFor("e1").id()).isEqualTo("b");
		assertThat(afterA.nextFor("e2").id()).isEqualTo("a");
		assertThat(afterA.delivered("a", "e2").delivered("b", "e1").isEmpty()).isTrue();
	}

	@Test
	void pendingForListsOneEndpointsWebhooksInRaisedOrder() {
		RoomWebhooks outbox = RoomWebhooks.NONE
			.plus(List.of(webhook("a", 1, "e1", "e2"), webhook("b", 2, "e2"), webhook("c", 3, "e1")));

		assertThat(outbox.pendingFor("e1")).extracting(PendingWebhook::id).containsExactly("a", "c");
		assertThat(outbox.pendingFor("e2")).extracting(PendingWebhook::id).containsExactly("a", "b");
		assertThat(outbox.pendingFor("e3")).isEmpty();
	}

	@Test
	void deliveredBatchRemovesEachFromThatEndpointOnly() {
		RoomWebhooks outbox = RoomWebhooks.NONE
			.plus(List.of(webhook("a", 1, "e1", "e2"), webhook("b", 2, "e1"), webhook("c", 3, "e1")));

		RoomWebhooks after = outbox.delivered(List.of("a", "b"), "e1");

		assertThat(after.pending()).extracting(PendingWebhook::id).containsExactly("a", "c");
		assertThat(after.pendingFor("e1")).extracting(PendingWebhook::id).containsExactly("c");
		assertThat(after.pendingFor("e2")).extracting(PendingWebhook::id).containsExactly("a");
		assertThat(after).isEqualTo(outbox.delivered("a", "e1").delivered("b", "e1"));
		assertThat(outbox.delivered(List.of(), "e1")).isSameAs(outbox);
	}

	@Test
	void failedIsKeptUntilRetriedThenPendingAgain() {
		RoomWebhooks outbox = RoomWebhooks.NONE.plus(List.of(webhook("a", 1, "e1")));

		RoomWebhooks failed = outbox.failed("a", "e1", 7, "HTTP 500", NOW);
		assertThat(failed.isEmpty()).isFalse();
		assertThat(failed.nextFor("e1")).isNull();
		assertThat(failed.pending().get(0).failed().get(0).attempts()).isEqualTo(7);
		RoomWebhooks retried = failed.retried("a", "e1");
		assertThat(retried.nextFor("e1").id()).isEqualTo("a");
		assertThat(retried.pending().get(0).failed()).isEmpty();
	}

	@Test
	void closedOutboxKeepsItsWebhooksAndOpensForANewRoom() {
		RoomWebhooks closed = RoomWebhooks.NONE.plus(List.of(webhook("a", 1, "e1"))).closed(NOW);
		assertThat(closed.isClosed()).isTrue();
		RoomWebhooks reopened = closed.open().plus(List.of(webhook("b", 0, "e1")));
		assertThat(reopened.isClosed()).isFalse();
		assertThat(reopened.pending()).extracting(PendingWebhook::id).containsExactly("a", "b");
	}

}
