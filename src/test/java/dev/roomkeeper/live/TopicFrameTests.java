package dev.roomkeeper.live;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import dev.roomkeeper.live.websocket.WebSocketFrames;
import dev.roomkeeper.room.event.PublishedEvent;

import static org.assertj.core.api.Assertions.assertThat;

class TopicFrameTests {

	@Test
	void aFrameIsTheStompMessageForTheSubscriptionInOneWebSocketTextFrame() {
		String json = "{\"type\":\"message\",\"data\":\"héllo 🎉\"}";
		TopicFrame frame = TopicFrame.of(new PublishedEvent("ABC234", 1234567890123L, "message", json, null));

		assertThat(stompText(frame.forSubscription("sub-0"))).isEqualTo("MESSAGE\ndestination:/topic/rooms/ABC234\n"
				+ "content-type:application/json\ncontent-length:" + json.getBytes(StandardCharsets.UTF_8).length
				+ "\nmessage-id:ABC234-1234567890123\nsubscription:sub-0\n\n" + json + "\0");
		assertThat(frame.seq()).isEqualTo(1234567890123L);
	}

	@Test
	void numbersOfEveryWidthAreWrittenInFull() {
		for (long seq : new long[] { 0, 9, 10, 99, 100, Long.MAX_VALUE, -1, -10, Long.MIN_VALUE }) {
			String json = "{\"n\":\"" + "x".repeat((int) Math.abs(seq % 200)) + "\"}";
			TopicFrame frame = TopicFrame.of(new PublishedEvent("ROOM", seq, "message", json, null));

			assertThat(stompText(frame.forSubscription("s"))).as("seq %d", seq)
				.contains("content-length:" + json.length() + "\n")
				.contains("\nmessage-id:ROOM-" + seq + "\n");
		}
	}

	@Test
	void aRoomCodeBeyondAsciiIsWrittenAsUtf8() {
		TopicFrame frame = TopicFrame.of(new PublishedEvent("RÖÖM", 7, "message", "{}", null));

		assertThat(stompText(frame.forSubscription("s"))).startsWith("MESSAGE\ndestination:/topic/rooms/RÖÖM\n")
			.contains("\nmessage-id:RÖÖM-7\nsubscription:s\n\n{}\0");
	}

	@Test
	void subscribersWithTheSameIdShareTheBytesAndAnotherIdGetsItsOwn() {
		TopicFrame frame = TopicFrame.of(new PublishedEvent("ROOM", 3, "message", "{}", null));

		byte[] first = frame.forSubscription("a");
		assertThat(frame.forSubscription("a")).isSameAs(first);
		assertThat(stompText(frame.forSubscription("b"))).endsWith("subscription:b\n\n{}\0");
	}

	/**
	 * The STOMP frame a WebSocket text frame (unmasked, as a server sends it) carries.
	 */
	private static String stompText(byte[] webSocketFrame) {
		int payloadLength = webSocketFrame.length - 2;
		int header = WebSocketFrames.headerLength(payloadLength);
		if (header != 2) {
			payloadLength = webSocketFrame.length - header;
			assertThat(WebSocketFrames.headerLength(payloadLength)).isEqualTo(header);
		}
		assertThat(webSocketFrame[0] & 0xFF).as("FIN and text opcode").isEqualTo(0x81);
		return new String(Arrays.copyOfRange(webSocketFrame, header, webSocketFrame.length), StandardCharsets.UTF_8);
	}

}
