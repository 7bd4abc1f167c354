package dev.roomkeeper.live;

import java.util.ArrayList;
import java.util.List;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

class TopicSubscriptionTests {

	private final List<String> written = new ArrayList<>();

	private final Outbox outbox = outbox();

	@Test
	void eventsWhileTheSnapshotIsReadAreHeldThenOnlyNewerOnesFollowIt() {
		TopicSubscription subscription = new TopicSubscription("sub:1");
		subscription.deliver(4, "e4", this.outbox);
		subscription.deliver(5, "e5", this.outbox);
		subscription.deliver(6, "e6", this.outbox);
		this.outbox.offer("snapshot@5");

		subscription.release(5, this.outbox);
		subscription.deliver(7, "e7", this.outbox);

		assertThat(this.written).containsExactly("snapshot@5", "e6", "e7");
		assertThat(subscription.escapedId()).isEqualTo("sub\\c1");
	}

	@Test
	void holdingAgainForASnapshotOnRequest() {
		TopicSubscription subscription = new TopicSubscription("s");
		subscription.release(0, this.outbox);
		subscription.deliver(1, "e1", this.outbox);

		subscription.hold();
		subscription.deliver(2, "e2", this.outbox);
		subscription.release(-1, this.outbox);

		assertThat(this.written).containsExactly("e1", "e2");
	}

	private Outbox outbox() {
		RemoteEndpoint.Async remote = mock(RemoteEndpoint.Async.class);
		doAnswer((invocation) -> {
			String text = invocation.getArgument(0);
			// Completing at once keeps one frame per write, in order.
			this.written.add(text);
			((SendHandler) invocation.getArgument(1)).onResult(new SendResult((jakarta.websocket.Session) null));
			return null;
		}).when(remote).sendText(anyString(), any(SendHandler.class));
		return new Outbox(remote, 1_000_000, new Outbox.Owner() {

			@Override
			public void sendFailed(Throwable cause) {
			}

			@Override
			public void overflowed() {
			}

			@Override
			public void drained() {
			}

			@Override
			public void delivered(int frames) {
			}

		});
	}

}
