package dev.roomkeeper.live;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.roomkeeper.room.event.PublishedEvent;

import static org.assertj.core.api.Assertions.assertThat;

class StompFramesTests {

	@Test
	void headerValuesAreEscapedAsStomp12Requires() {
		assertThat(StompFrames.escape("plain-id")).isEqualTo("plain-id");
		assertThat(StompFrames.escape("a:b\\c\nd\re")).isEqualTo("a\\cb\\\\c\\nd\\re");
		assertThat(StompFrameReader.unescape(StompFrames.escape("a:b\\c\nd\re"))).isEqualTo("a:b\\c\nd\re");
	}

	@Test
	void utf8LengthMatchesTheEncodedLength() {
		for (String text : new String[] { "", "ascii", "héllo", "€", "🎉 party" }) {
			assertThat(StompFrames.utf8Length(text)).as(text).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
		}
	}

	@Test
	void loneSurrogatesInJsonAreWrittenBackAsEscapesSoTheTextIsEncodable() {
		String clean = "{\"data\":\"🎉\"}";
		String lone = "{\"data\":\"a\uD83Db\uDE00\"}";

		assertThat(StompFrames.encodable(clean)).isSameAs(clean);
		assertThat(StompFrames.encodable(lone)).isEqualTo("{\"data\":\"a\\ud83db\\ude00\"}");
		assertThat(StandardCharsets.UTF_8.newEncoder().canEncode(StompFrames.encodable(lone))).isTrue();
	}

	@Test
	void errorFrameCarriesCodeMessageReceiptAndContentLength() {
		String frame = StompFrames.error("forbidden", "Nö: nope", "r-1");

		assertThat(frame).startsWith("ERROR\nmessage:Nö\\c nope\ncode:forbidden\nreceipt-id:r-1\n")
			.contains("\ncontent-length:9\n\nNö: nope\0");
	}

	@Test
	void topicFrameDiffersPerSubscriptionOnlyInTheSubscriptionHeader() {
		String json = "{\"type\":\"message\",\"data\":\"🎉\"}";
		TopicFrame frame = TopicFrame.of(new PublishedEvent("ABC234", 7, "message", json, null));

		byte[] firstFrame = frame.forSubscription("sub-0");
		byte[] sameFrame = frame.forSubscription("sub-0");
		String first = payloadOf(firstFrame);
		String other = payloadOf(frame.forSubscription("x"));

		assertThat(sameFrame).isSameAs(firstFrame);
		assertThat(first).isEqualTo("MESSAGE\ndestination:/topic/rooms/ABC234\ncontent-type:application/json\n"
				+ "content-length:" + json.getBytes(StandardCharsets.UTF_8).length
				+ "\nmessage-id:ABC234-7\nsubscription:sub-0\n\n" + json + "\0");
		assertThat(other).isEqualTo(first.replace("subscription:sub-0", "subscription:x"));
	}

	/** The text of a WebSocket text frame of up to 65,535 bytes sent by a server. */
	private static String payloadOf(byte[] frame) {
		assertThat(frame[0]).as("FIN and text opcode").isEqualTo((byte) 0x81);
		int length = frame[1] & 0x7F;
		int header = 2;
		if (length == 126) {
			length = ((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF);
			header = 4;
		}
		assertThat(frame).hasSize(header + length);
		return new String(frame, header, length, StandardCharsets.UTF_8);
	}

}
