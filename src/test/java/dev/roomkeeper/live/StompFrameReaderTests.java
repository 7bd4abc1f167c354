package dev.roomkeeper.live;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class StompFrameReaderTests {

	private final StompFrameReader reader = new StompFrameReader(256, 16);

	private final List<StompFrame> frames = new ArrayList<>();

	@Test
	void severalFramesWithHeartbeatsAndCrlfBetweenThemAreAllRead() {
		read("\n\r\nSEND\r\ndestination:/a\r\n\r\n{}\0\n\nSUBSCRIBE\nid:1\ndestination:/b\n\n\0\n");

		assertThat(this.frames).extracting(StompFrame::command).containsExactly("SEND", "SUBSCRIBE");
		assertThat(this.frames.get(0).header("destination")).isEqualTo("/a");
		assertThat(body(this.frames.get(0))).isEqualTo("{}");
		assertThat(this.frames.get(1).header("id")).isEqualTo("1");
		assertThat(this.reader.inFrame()).isFalse();
	}

	@Test
	void framesSplitAtAnyByteAreReadTheSame() {
		byte[] bytes = "SEND\ndestination:/a\ncontent-length:4\n\nh\0é\0SEND\ndestination:/b\n\nok\0"
			.getBytes(StandardCharsets.UTF_8);
		for (byte b : bytes) {
			this.reader.read(ByteBuffer.wrap(new byte[] { b }), this.frames::add);
		}

		assertThat(this.frames).hasSize(2);
		assertThat(this.frames.get(0).body()).containsExactly('h', 0, 0xC3 - 256, 0xA9 - 256);
		assertThat(body(this.frames.get(1))).isEqualTo("ok");
	}

	@Test
	void usualAndUnusualCommandsAndHeadersReadAsTheirText() {
		StompFrameReader roomy = new StompFrameReader(4096, 16);
		String longValue = "v".repeat(300);
		String text = "SEND\ndestination:/r\u00e9\ncontent-type:text/plain\nx-long:" + longValue
				+ "\n\u00e9t\u00e9:\u20ac\ncontent-lengthy:2\n\n\0SENDER\nid:7\n\n\0";
		roomy.read(bytes(text), this.frames::add);

		assertThat(this.frames).extracting(StompFrame::command).containsExactly("SEND", "SENDER");
		StompFrame first = this.frames.get(0);
		assertThat(first.headers()).containsOnlyKeys("destination", "content-type", "x-long", "\u00e9t\u00e9",
				"content-lengthy");
		assertThat(first.header("destination")).isEqualTo("/r\u00e9");
		assertThat(first.header("x-long")).isEqualTo(longValue);
		assertThat(first.header("\u00e9t\u00e9")).isEqualTo("\u20ac");
		assertThat(this.frames.get(1).header("id")).isEqualTo("7");
	}

	@Test
	void headerEscapesAreDecodedExceptInConnectAndTheFirstRepeatedHeaderWins() {
		read("SEND\ndestination:/a\\cb\\\\c\\nd\ndestination:/ignored\n\n\0CONNECT\ntoken:a\\cb\n\n\0");

		assertThat(this.frames.get(0).header("destination")).isEqualTo("/a:b\\c\nd");
		assertThat(this.frames.get(1).header("token")).isEqualTo("a\\cb");
	}

	@Test
	void bodyOverTheLimitWithoutContentLengthIsSkippedAndTheNextFrameIsRead() {
		read("SEND\ndestination:/a\n\n" + "x".repeat(100) + "\0SEND\ndestination:/b\n\nsmall\0");

		assertThat(this.frames).hasSize(2);
		assertThat(this.frames.get(0).bodyTooLarge()).isTrue();
		assertThat(this.frames.get(0).header("destination")).isEqualTo("/a");
		assertThat(this.frames.get(0).body()).isEmpty();
		assertThat(this.frames.get(1).bodyTooLarge()).isFalse();
		assertThat(body(this.frames.get(1))).isEqualTo("small");
	}

	@Test
	void bodyOverTheLimitWithContentLengthIsSkippedAndTheNextFrameIsRead() {
		read("SEND\ndestination:/a\ncontent-length:40\n\n" + "\0".repeat(40) + "\0SEND\ndestination:/b\n\nok\0");

		assertThat(this.frames).extracting(StompFrame::bodyTooLarge).containsExactly(true, false);
	}

	@Test
	void sinkMayStopTheReading() {
		boolean more = this.reader.read(bytes("SEND\n\n\0SEND\n\n\0"), (frame) -> {
			this.frames.add(frame);
			return false;
		});

		assertThat(more).isFalse();
		assertThat(this.frames).hasSize(1);
	}

	@Test
	void malformedFramesAreRefused() {
		assertMalformed("SEND\nno colon\n\n\0");
		assertMalformed("SEND\n:no name\n\n\0");
		assertMalformed("SEND\ndestination:/a\\t\n\n\0");
		assertMalformed("SEND\ncontent-length:2\n\nabc\0");
		assertMalformed("SEND\ncontent-length:-1\n\n\0");
		assertMalformed("SEND\nx:" + "y".repeat(300) + "\n\n\0");
		assertMalformed("SEND\0");
	}

	private void assertMalformed(String text) {
		StompFrameReader fresh = new StompFrameReader(256, 16);
		assertThatExceptionOfType(StompFrameReader.MalformedFrameException.class).as(text)
			.isThrownBy(() -> fresh.read(bytes(text), (frame) -> true));
	}

	private void read(String text) {
		this.reader.read(bytes(text), this.frames::add);
	}

	private static ByteBuffer bytes(String text) {
		return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
	}

	private static String body(StompFrame frame) {
		return new String(frame.body(), StandardCharsets.UTF_8);
	}

}
