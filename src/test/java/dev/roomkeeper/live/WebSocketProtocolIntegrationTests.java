package dev.roomkeeper.live;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.MemoryStoreServerTest;
import dev.roomkeeper.support.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WebSocket layer under {@code /ws} as a client sees it on the wire (RFC 6455): the
 * handshake and its refusals, frames sent with the handshake, pings, the close handshake,
 * broken frames, and messages of every length form.
 */
@MemoryStoreServerTest
class WebSocketProtocolIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void requestsThatAreNotWebSocketHandshakesGetAProblem() {
		ApiClient api = new ApiClient(this.port);
		ApiClient.Response plain = api.get("/ws");
		assertThat(plain.status()).isEqualTo(400);
		assertThat(plain.contentType()).startsWith("application/problem+json");
		assertThat(plain.code()).isEqualTo("invalid-request");

		assertThat(api.post("/ws", Map.of()).status()).isEqualTo(405);
		try (RawWebSocket oldVersion = RawWebSocket.open(this.port, Map.of("Sec-WebSocket-Version", "8"))) {
			assertThat(oldVersion.status()).isEqualTo(426);
		}
	}

	@Test
	void framesSentRightBehindTheHandshakeAreRead() {
		JoinedMember ann = member("Ann");
		byte[] connect = RawWebSocket.encodeFrame(0x81,
				("CONNECT\naccept-version:1.2\ntoken:" + ann.token() + "\n\n\0").getBytes(StandardCharsets.UTF_8),
				true);
		try (RawWebSocket raw = RawWebSocket.openSending(this.port, connect)) {
			assertThat(raw.status()).isEqualTo(101);
			assertThat(raw.readUntil("CONNECTED")).contains("\nversion:1.2\n");
		}
	}

	@Test
	void stompInBinaryMessagesAndPingsAnsweredWithTheirPayload() {
		JoinedMember ann = member("Ann");
		try (RawWebSocket raw = RawWebSocket.open(this.port, Map.of())) {
			raw.sendRawFrame(0x82,
					("CONNECT\naccept-version:1.2\ntoken:" + ann.token() + "\n\n\0").getBytes(StandardCharsets.UTF_8),
					true);
			assertThat(raw.readUntil("CONNECTED")).startsWith("CONNECTED\n");

			raw.sendRawFrame(0x89, "are you there?".getBytes(StandardCharsets.UTF_8), true);
			RawWebSocket.Frame pong = raw.readFrame();
			assertThat(pong.opcode()).isEqualTo(0xA);
			assertThat(pong.text()).isEqualTo("are you there?");
		}
	}

	@Test
	void aCloseFromTheClientIsAnsweredWithItsCodeThenTheServerCloses() {
		JoinedMember ann = member("Ann");
		try (RawWebSocket raw = RawWebSocket.open(this.port, Map.of())) {
			raw.sendText("CONNECT\naccept-version:1.2\ntoken:" + ann.token() + "\n\n\0");
			raw.readUntil("CONNECTED");

			raw.sendRawFrame(0x88, new byte[] { 0x03, (byte) 0xE8, 'b', 'y', 'e' }, true);

			assertThat(raw.readCloseCode()).isEqualTo(1000);
			assertThat(raw.isClosedByServer()).isTrue();
		}
	}

	@Test
	void brokenFramesCloseWithTheRightCodeWhileOtherConnectionsCarryOn() {
		JoinedMember ann = member("Ann");
		try (RawWebSocket unmasked = RawWebSocket.open(this.port, Map.of());
				RawWebSocket notUtf8 = RawWebSocket.open(this.port, Map.of());
				RawWebSocket reservedBits = RawWebSocket.open(this.port, Map.of());
				RawWebSocket fine = RawWebSocket.open(this.port, Map.of())) {
			unmasked.sendRawFrame(0x81, "CONNECT\n\n\0".getBytes(StandardCharsets.UTF_8), false);
			notUtf8.sendRawFrame(0x81, new byte[] { 'C', (byte) 0xC0, (byte) 0x80 }, true);
			reservedBits.sendRawFrame(0xC1, "CONNECT\n\n\0".getBytes(StandardCharsets.UTF_8), true);

			assertThat(unmasked.readCloseCode()).isEqualTo(1002);
			assertThat(notUtf8.readCloseCode()).isEqualTo(1007);
			assertThat(reservedBits.readCloseCode()).isEqualTo(1002);
			fine.sendText("CONNECT\naccept-version:1.2\ntoken:" + ann.token() + "\n\n\0");
			assertThat(fine.readUntil("CONNECTED")).startsWith("CONNECTED\n");
		}
	}

	@Test
	void largeMessagesBothWaysUseTheLongerLengthForms() {
		ApiClient api = new ApiClient(this.port);
		CreatedRoom room = api.createRoom();
		JoinedMember ann = api.join(room.code(), "Ann");
		String big = "é".repeat(50_000);
		api.post("/api/rooms/" + room.code() + "/state", Map.of("patch", Map.of("big", big)), room.ownerToken())
			.expectStatus(200);
		try (RawWebSocket raw = RawWebSocket.open(this.port, Map.of())) {
			raw.sendText("CONNECT\naccept-version:1.2\ntoken:" + ann.token() + "\n\n\0"
					+ "SUBSCRIBE\nid:me\ndestination:/user/queue/room\n\n\0"
					+ "SUBSCRIBE\nid:t\ndestination:/topic/rooms/" + room.code() + "\n\n\0");
			assertThat(raw.readUntil("\"type\":\"snapshot\"")).as("a snapshot over 65,535 bytes").contains(big);

			String medium = "m".repeat(30_000);
			raw.sendText(
					"SEND\ndestination:/app/rooms/" + room.code() + "/broadcast\n\n{\"data\":\"" + medium + "\"}\0");
			assertThat(raw.readUntil("\"type\":\"message\"")).contains(medium);
		}
	}

	private JoinedMember member(String name) {
		ApiClient api = new ApiClient(this.port);
		return api.join(api.createRoom().code(), name);
	}

}
