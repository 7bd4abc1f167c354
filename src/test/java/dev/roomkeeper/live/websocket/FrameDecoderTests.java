package dev.roomkeeper.live.websocket;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FrameDecoderTests {

	private final List<String> events = new ArrayList<>();

	private final ByteArrayOutputStream message = new ByteArrayOutputStream();

	private final FrameDecoder decoder = new FrameDecoder(new FrameDecoder.Handler() {

		@Override
		public void onData(boolean text, ByteBuffer payload, boolean last) {
			byte[] part = new byte[payload.remaining()];
			payload.get(part);
			FrameDecoderTests.this.message.writeBytes(part);
			if (last) {
				FrameDecoderTests.this.events.add(
						(text ? "text:" : "binary:") + FrameDecoderTests.this.message.toString(StandardCharsets.UTF_8));
				FrameDecoderTests.this.message.reset();
			}
		}

		@Override
		public void onPing(byte[] payload, int length) {
			FrameDecoderTests.this.events.add("ping:" + new String(payload, 0, length, StandardCharsets.UTF_8));
		}

		@Override
		public void onPong() {
			FrameDecoderTests.this.events.add("pong");
		}

		@Override
		public void onClose(int code, String reason) {
			FrameDecoderTests.this.events.add("close:" + code + ":" + reason);
		}

	});

	@Test
	void fragmentedMessageWithAPingBetweenFedOneByteAtATime() throws Exception {
		byte[] bytes = new ClientFrames()
			.frame(false, WebSocketFrames.OPCODE_TEXT, "héllo ".getBytes(StandardCharsets.UTF_8), true)
			.frame(true, WebSocketFrames.OPCODE_PING, "are you there".getBytes(StandardCharsets.UTF_8), true)
			.frame(true, WebSocketFrames.OPCODE_CONTINUATION, "wörld 🎉".getBytes(StandardCharsets.UTF_8), true)
			.frame(true, WebSocketFrames.OPCODE_BINARY, new byte[] { 'b', 'i', 'n' }, true)
			.frame(true, WebSocketFrames.OPCODE_PONG, new byte[0], true)
			.close(1000, "bye")
			.toByteArray();

		for (byte b : bytes) {
			this.decoder.decode(ByteBuffer.wrap(new byte[] { b }));
		}

		assertThat(this.events).containsExactly("ping:are you there", "text:héllo wörld 🎉", "binary:bin", "pong",
				"close:1000:bye");
	}

	@Test
	void allFramesInOneBufferAndLengthsOfEveryForm() throws Exception {
		String medium = "m".repeat(300);
		String large = "L".repeat(70_000);
		byte[] bytes = new ClientFrames().text("").text(medium).text(large).toByteArray();

		this.decoder.decode(ByteBuffer.wrap(bytes));

		assertThat(this.events).containsExactly("text:", "text:" + medium, "text:" + large);
	}

	@Test
	void closeWithoutStatus() throws Exception {
		this.decoder.decode(ByteBuffer
			.wrap(new ClientFrames().frame(true, WebSocketFrames.OPCODE_CLOSE, new byte[0], true).toByteArray()));

		assertThat(this.events).containsExactly("close:" + CloseCodes.NO_STATUS + ":");
	}

	@Test
	void brokenRulesCloseWithProtocolErrorOrInvalidPayload() {
		assertCloseCode(new ClientFrames().frame(true, WebSocketFrames.OPCODE_TEXT, bytes("hi"), false),
				CloseCodes.PROTOCOL_ERROR);
		assertCloseCode(new ClientFrames().frame(0x80 | 0x40 | WebSocketFrames.OPCODE_TEXT, bytes("hi"), true),
				CloseCodes.PROTOCOL_ERROR);
		assertCloseCode(new ClientFrames().frame(true, 0x3, bytes("hi"), true), CloseCodes.PROTOCOL_ERROR);
		assertCloseCode(new ClientFrames().frame(true, WebSocketFrames.OPCODE_CONTINUATION, bytes("hi"), true),
				CloseCodes.PROTOCOL_ERROR);
		assertCloseCode(new ClientFrames().frame(false, WebSocketFrames.OPCODE_TEXT, bytes("a"), true).text("b"),
				CloseCodes.PROTOCOL_ERROR);
		assertCloseCode(new ClientFrames().frame(false, WebSocketFrames.OPCODE_PING, bytes("p"), true),
				CloseCodes.PROTOCOL_ERROR);
		assertCloseCode(new ClientFrames().frame(true, WebSocketFrames.OPCODE_PING, new byte[126], true),
				CloseCodes.PROTOCOL_ERROR);
		assertCloseCode(new ClientFrames().close(1005, ""), CloseCodes.PROTOCOL_ERROR);
		assertCloseCode(new ClientFrames().frame(true, WebSocketFrames.OPCODE_TEXT,
				new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 }, true), CloseCodes.INVALID_PAYLOAD);
		assertCloseCode(new ClientFrames().frame(false, WebSocketFrames.OPCODE_TEXT, new byte[] { (byte) 0xE2 }, true)
			.frame(true, WebSocketFrames.OPCODE_CONTINUATION, new byte[0], true), CloseCodes.INVALID_PAYLOAD);
	}

	private static void assertCloseCode(ClientFrames frames, int code) {
		FrameDecoder decoder = new FrameDecoder(new FrameDecoder.Handler() {

			@Override
			public void onData(boolean text, ByteBuffer payload, boolean last) {
			}

			@Override
			public void onPing(byte[] payload, int length) {
			}

			@Override
			public void onPong() {
			}

			@Override
			public void onClose(int closeCode, String reason) {
			}

		});
		assertThatExceptionOfType(FrameDecoder.ProtocolException.class)
			.isThrownBy(() -> decoder.decode(ByteBuffer.wrap(frames.toByteArray())))
			.satisfies((ex) -> assertThat(ex.closeCode()).isEqualTo(code));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
