package dev.roomkeeper.live;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

class OutboxTests {

	private final List<String> sent = new ArrayList<>();

	private final List<SendHandler> pending = new ArrayList<>();

	private final RecordingOwner owner = new RecordingOwner();

	private Outbox outbox;

	@BeforeEach
	void setUp() {
		RemoteEndpoint.Async remote = mock(RemoteEndpoint.Async.class);
		doAnswer((invocation) -> {
			this.sent.add(invocation.getArgument(0));
			this.pending.add(invocation.getArgument(1));
			return null;
		}).when(remote).sendText(anyString(), any(SendHandler.class));
		this.outbox = new Outbox(remote, 100, this.owner);
	}

	@Test
	void oneSendInFlightAndWhatQueuesMeanwhileLeavesAsOneMessage() {
		this.outbox.offer("a\0");
		this.outbox.offer("b\0");
		this.outbox.offer("c\0");

		assertThat(this.sent).containsExactly("a\0");
		complete();
		assertThat(this.sent).containsExactly("a\0", "b\0c\0");
		complete();
		assertThat(this.owner.delivered).isEqualTo(3);
		assertThat(this.outbox.pendingChars()).isZero();
	}

	@Test
	void batchesStayWithinTheLimitAndALargerFrameGoesAlone() {
		Outbox roomy = new Outbox(remote(), 1_000_000, this.owner);
		String half = "x".repeat(Outbox.MAX_BATCH_CHARS / 2);
		String big = "y".repeat(Outbox.MAX_BATCH_CHARS + 1);
		roomy.offer("first");
		roomy.offer(half);
		roomy.offer(half);
		roomy.offer(half);
		roomy.offer(big);

		complete();
		complete();
		complete();

		assertThat(this.sent).extracting(String::length)
			.containsExactly(5, Outbox.MAX_BATCH_CHARS, Outbox.MAX_BATCH_CHARS / 2, Outbox.MAX_BATCH_CHARS + 1);
	}

	@Test
	void clientThatFallsBehindPastTheLimitOverflowsButALargeFrameAloneIsSent() {
		this.outbox.offer("x".repeat(150));
		assertThat(this.owner.overflowed).isFalse();

		this.outbox.offer("y".repeat(10));

		assertThat(this.owner.overflowed).isTrue();
		assertThat(this.outbox.offer("z")).isFalse();
	}

	@Test
	void failedSendIsReported() {
		this.outbox.offer("a");

		this.pending.remove(0).onResult(new SendResult(null, new IOException("reset")));

		assertThat(this.owner.failure).hasMessage("reset");
	}

	@Test
	void closeWhenDrainedWaitsForTheFrameInFlightAndRefusesNewOnes() {
		this.outbox.offer("bye");
		this.outbox.closeWhenDrained();

		assertThat(this.outbox.offer("late")).isFalse();
		assertThat(this.owner.drained).isFalse();
		complete();
		assertThat(this.owner.drained).isTrue();
		assertThat(this.sent).containsExactly("bye");
	}

	@Test
	void heartbeatOnlyWhenIdleAndNotCountedAsDelivered() {
		long now = System.nanoTime() + 10_000_000_000L;
		this.outbox.offer("frame");
		this.outbox.heartbeatIfIdle(now, 1);
		complete();

		this.outbox.heartbeatIfIdle(now, 1);
		complete();

		assertThat(this.sent).containsExactly("frame", StompFrames.HEARTBEAT);
		assertThat(this.owner.delivered).isEqualTo(1);
	}

	private RemoteEndpoint.Async remote() {
		RemoteEndpoint.Async remote = mock(RemoteEndpoint.Async.class);
		doAnswer((invocation) -> {
			this.sent.add(invocation.getArgument(0));
			this.pending.add(invocation.getArgument(1));
			return null;
		}).when(remote).sendText(anyString(), any(SendHandler.class));
		return remote;
	}

	private void complete() {
		this.pending.remove(0).onResult(new SendResult((jakarta.websocket.Session) null));
	}

	private static final class RecordingOwner implements Outbox.Owner {

		private Throwable failure;

		private boolean overflowed;

		private boolean drained;

		private int delivered;

		@Override
		public void sendFailed(Throwable cause) {
			this.failure = cause;
		}

		@Override
		public void overflowed() {
			this.overflowed = true;
		}

		@Override
		public void drained() {
			this.drained = true;
		}

		@Override
		public void delivered(int frames) {
			this.delivered += frames;
		}

	}

}
