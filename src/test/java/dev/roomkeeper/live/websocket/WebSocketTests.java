package dev.roomkeeper.live.websocket;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The connection's sending, closing and reading rules, on a socket that does as told. */
class WebSocketTests {

	private final FakeTransport transport = new FakeTransport();

	private final List<String> received = new ArrayList<>();

	private final List<Integer> closedWith = new ArrayList<>();

	private final WebSocket socket = open(1000, 10_000);

	@Test
	void framesAreWrittenAtOnceWhileTheSocketKeepsUp() {
		assertThat(this.socket.send(frame("a"))).isTrue();
		assertThat(this.socket.send(frame("b"))).isTrue();

		assertThat(this.transport.writes()).containsExactly(text("a"), text("b"));
		assertThat(this.socket.pendingBytes()).isZero();
	}

	@Test
	void framesQueueBehindAWriteThatDidNotCompleteAndLeaveTogetherWhenTheSocketDrains() {
		this.transport.blocked = true;
		this.socket.send(frame("a"));
		this.socket.send(frame("b"));
		this.socket.send(frame("c"));
		assertThat(this.transport.writes()).containsExactly(text("a"));
		assertThat(this.socket.pendingBytes()).isEqualTo(3 * 3);

		this.transport.blocked = false;
		this.socket.onWritable();

		assertThat(this.transport.writes()).containsExactly(text("a"), text("b") + text("c"));
		assertThat(this.socket.pendingBytes()).isZero();
	}

	@Test
	void aClientTooFarBehindIsSentACloseFrameAndCutOffIfItDoesNotTakeIt() {
		this.transport.blocked = true;
		assertThat(this.socket.send(frame("x".repeat(600)))).isTrue();
		assertThat(this.socket.send(frame("y".repeat(600)))).as("past the send buffer limit").isFalse();
		assertThat(this.socket.send(frame("z"))).isFalse();

		long now = System.nanoTime();
		this.socket.checkDeadlines(now + TimeUnit.MILLISECONDS.toNanos(WebSocket.CLOSE_WAIT_MILLIS / 2));
		assertThat(this.socket.isOpen()).isTrue();
		this.socket.checkDeadlines(now + TimeUnit.MILLISECONDS.toNanos(WebSocket.CLOSE_WAIT_MILLIS + 500));

		assertThat(this.socket.isOpen()).isFalse();
		assertThat(this.transport.closed).isTrue();
		assertThat(this.closedWith).containsExactly(CloseCodes.ABNORMAL);
	}

	@Test
	void aSlowClientThatCatchesUpGetsTheCloseFrame() {
		this.transport.blocked = true;
		this.socket.send(frame("x".repeat(600)));
		this.socket.send(frame("y".repeat(600)));

		this.transport.blocked = false;
		this.socket.onWritable();

		assertThat(this.transport.writes()).last().satisfies((last) -> assertThat(closeCodeOf(last)).isEqualTo(1008));
	}

	@Test
	void aWriteWaitingLongerThanTheSendTimeLimitIsCutOff() {
		this.transport.blocked = true;
		this.socket.send(frame("a"));
		long now = System.nanoTime();

		this.socket.checkDeadlines(now + TimeUnit.SECONDS.toNanos(5));
		assertThat(this.socket.isOpen()).isTrue();
		this.socket.checkDeadlines(now + TimeUnit.SECONDS.toNanos(11));

		assertThat(this.socket.isOpen()).isFalse();
		assertThat(this.closedWith).containsExactly(CloseCodes.ABNORMAL);
	}

	@Test
	void closeFollowsWhatIsQueuedAndTheSocketClosesWhenTheClientAnswers() {
		this.transport.blocked = true;
		this.socket.send(frame("a"));
		this.socket.send(frame("b"));
		this.socket.close(1000, "bye");
		assertThat(this.socket.send(frame("c"))).isFalse();

		this.transport.blocked = false;
		this.socket.onWritable();
		List<String> writes = this.transport.writes();
		assertThat(writes).hasSize(3);
		assertThat(writes.get(1)).isEqualTo(text("b"));
		assertThat(closeCodeOf(writes.get(2))).isEqualTo(1000);
		assertThat(this.socket.isOpen()).isTrue();

		this.transport.incoming(new ClientFrames().close(1000, "").toByteArray());
		this.socket.onReadable();

		assertThat(this.transport.closed).isTrue();
		assertThat(this.closedWith).containsExactly(1000);
	}

	@Test
	void aCloseFromTheClientIsAnsweredWithItsCodeAndTheSocketClosed() {
		this.transport.incoming(new ClientFrames().text("hello").close(4001, "done").toByteArray());

		this.socket.onReadable();

		assertThat(this.received).containsExactly("text:hello:last");
		assertThat(closeCodeOf(this.transport.writes().get(0))).isEqualTo(4001);
		assertThat(this.transport.closed).isTrue();
		assertThat(this.closedWith).containsExactly(4001);
	}

	@Test
	void pingsAreAnsweredWithTheirPayloadAndCountAsLife() {
		this.transport.incoming(
				new ClientFrames().frame(true, WebSocketFrames.OPCODE_PING, "p1".getBytes(StandardCharsets.UTF_8), true)
					.toByteArray());

		this.socket.onReadable();

		assertThat(this.transport.writes())
			.containsExactly(new String(new byte[] { (byte) 0x8A, 2, 'p', '1' }, StandardCharsets.ISO_8859_1));
		assertThat(this.received).containsExactly("pong");
	}

	@Test
	void aPingFloodBehindABlockedSocketKeepsOnlyTheAnswerToTheLatestPing() {
		this.transport.blocked = true;
		this.socket.send(frame("a"));
		ClientFrames pings = new ClientFrames();
		for (int i = 0; i < 1000; i++) {
			pings.frame(true, WebSocketFrames.OPCODE_PING, ("p" + i).getBytes(StandardCharsets.UTF_8), true);
		}
		this.transport.incoming(pings.toByteArray());

		this.socket.onReadable();
		assertThat(this.socket.pendingBytes()).isEqualTo(3);
		this.transport.blocked = false;
		this.socket.onWritable();

		assertThat(this.transport.writes()).containsExactly(text("a"), new String(
				WebSocketFrames.pong("p999".getBytes(StandardCharsets.UTF_8), 4), StandardCharsets.ISO_8859_1));
	}

	@Test
	void aLongCloseReasonIsCutAtACharacterBoundary() {
		byte[] frame = WebSocketFrames.close(1008, "é".repeat(100));

		assertThat(frame[1]).as("payload length").isEqualTo((byte) 124);
		assertThat(new String(frame, 4, 122, StandardCharsets.UTF_8)).isEqualTo("é".repeat(61));
	}

	@Test
	void aBrokenFrameClosesWithTheProtocolErrorAndNothingMoreIsRead() {
		this.transport.incoming(new ClientFrames()
			.frame(true, WebSocketFrames.OPCODE_TEXT, "unmasked".getBytes(StandardCharsets.UTF_8), false)
			.toByteArray());

		this.socket.onReadable();

		assertThat(closeCodeOf(this.transport.writes().get(0))).isEqualTo(CloseCodes.PROTOCOL_ERROR);
		assertThat(this.transport.closed).isTrue();
		assertThat(this.received).isEmpty();
		assertThat(this.closedWith).containsExactly(CloseCodes.PROTOCOL_ERROR);
	}

	@Test
	void theEndOfTheStreamClosesAbnormallyOnce() {
		this.transport.endOfStream = true;

		this.socket.onReadable();
		this.socket.onTransportClosed();

		assertThat(this.closedWith).containsExactly(CloseCodes.ABNORMAL);
	}

	private WebSocket open(long sendBufferBytes, long sendTimeLimitMillis) {
		WebSocket created = new WebSocket(this.transport, new WebSocketOptions(sendBufferBytes, sendTimeLimitMillis));
		created.open((ignored) -> new WebSocketListener() {

			@Override
			public void onMessagePart(boolean text, ByteBuffer payload, boolean last) {
				WebSocketTests.this.received
					.add((text ? "text:" : "binary:") + StandardCharsets.UTF_8.decode(payload) + (last ? ":last" : ""));
			}

			@Override
			public void onPong() {
				WebSocketTests.this.received.add("pong");
			}

			@Override
			public void onClosed(int code) {
				WebSocketTests.this.closedWith.add(code);
			}

		});
		return created;
	}

	private static byte[] frame(String text) {
		return WebSocketFrames.text(text);
	}

	/** A frame's bytes as a string of ISO-8859-1 characters, one per byte. */
	private static String text(String text) {
		return new String(WebSocketFrames.text(text), StandardCharsets.ISO_8859_1);
	}

	private static int closeCodeOf(String frame) {
		assertThat(frame.charAt(0)).as("a close frame").isEqualTo((char) 0x88);
		return (frame.charAt(2) << 8) | frame.charAt(3);
	}

	/** A socket that takes everything, or holds it while {@link #blocked}. */
	private static final class FakeTransport implements WebSocket.Transport {

		volatile boolean blocked;

		boolean closed;

		boolean endOfStream;

		private final List<byte[]> written = new ArrayList<>();

		private final ArrayDeque<byte[]> toRead = new ArrayDeque<>();

		@Override
		public boolean write(byte[] data) {
			this.written.add(data.clone());
			return !this.blocked;
		}

		@Override
		public boolean flush() {
			return !this.blocked;
		}

		@Override
		public int read(ByteBuffer into) {
			byte[] next = this.toRead.poll();
			if (next == null) {
				return this.endOfStream ? -1 : 0;
			}
			into.put(next);
			return next.length;
		}

		@Override
		public void close() {
			this.closed = true;
		}

		void incoming(byte[] bytes) {
			this.toRead.add(bytes);
		}

		List<String> writes() {
			return this.written.stream().map((bytes) -> new String(bytes, StandardCharsets.ISO_8859_1)).toList();
		}

	}

}
