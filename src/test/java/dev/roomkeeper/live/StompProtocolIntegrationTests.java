package dev.roomkeeper.live;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.LiveClient;
import dev.roomkeeper.support.LiveClient.Session;
import dev.roomkeeper.support.MemoryStoreServerTest;
import dev.roomkeeper.support.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * STOMP 1.2 framing as it crosses the wire, with a bare WebSocket client: frames sharing
 * a message or spanning several, heart-beat end-of-lines, headers of CONNECTED and
 * MESSAGE, receipts, and ERROR frames for what is not STOMP.
 */
@MemoryStoreServerTest
class StompProtocolIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void framesMayShareAMessageOrSpanSeveralAndHeartbeatsMayComeBetween() {
		ApiClient api = new ApiClient(this.port);
		CreatedRoom room = api.createRoom();
		JoinedMember ann = api.join(room.code(), "Ann");
		try (RawWebSocket raw = RawWebSocket.open(this.port, Map.of())) {
			raw.sendText("\n\r\nCONNECT\naccept-version:1.1,1.2\nheart-beat:0,0\ntoken:" + ann.token() + "\n\n\0\n");
			String connected = raw.readUntil("CONNECTED");
			assertThat(connected).contains("\nversion:1.2\n", "\nheart-beat:10000,10000\n",
					"\nuser-name:" + ann.memberId() + "\n");

			raw.sendText("SUBSCRIBE\nid:me\ndestination:/user/queue/room\n\n\0\n"
					+ "SUBSCRIBE\nid:room:1\ndestination:/topic/rooms/" + room.code() + "\nreceipt:r1\n\n\0");
			String snapshot = raw.readUntil("\"type\":\"snapshot\"");
			assertThat(snapshot).startsWith("MESSAGE\n")
				.contains("\ndestination:/user/queue/room\n", "\nsubscription:me\n");
			if (!snapshot.contains("RECEIPT\nreceipt-id:r1\n")) {
				// The receipt may share the snapshot's WebSocket message (frames are
				// batched).
				raw.readUntil("RECEIPT\nreceipt-id:r1\n");
			}

			String send = "SEND\ndestination:/app/rooms/" + room.code()
					+ "/broadcast\ncontent-type:application/json\n\n{\"data\":\"héllo 🎉\"}\0";
			int insideTheEmoji = send.getBytes(StandardCharsets.UTF_8).length - 5;
			raw.sendTextInTwoParts(send, insideTheEmoji);
			assertFrame(raw.readUntil("\"type\":\"message\""), room, "héllo 🎉");

			raw.sendText("SEND\ndestination:/app/rooms/" + room.code() + "/broadcast\n\n{\"da");
			raw.sendText("ta\":\"two messages\"}\0");
			assertFrame(raw.readUntil("two messages"), room, "two messages");
		}
	}

	private static void assertFrame(String text, CreatedRoom room, String data) {
		String frame = text.substring(text.indexOf("MESSAGE\n"));
		String headers = frame.substring(0, frame.indexOf("\n\n"));
		String body = frame.substring(frame.indexOf("\n\n") + 2, frame.indexOf('\0'));
		assertThat(headers).contains("\ndestination:/topic/rooms/" + room.code(), "\nsubscription:room\\c1",
				"\ncontent-type:application/json", "\nmessage-id:",
				"\ncontent-length:" + body.getBytes(StandardCharsets.UTF_8).length);
		assertThat(body).contains("\"data\":\"" + data + "\"");
	}

	@Test
	void receiptsFollowSendAndDisconnectThenTheConnectionCloses() {
		ApiClient api = new ApiClient(this.port);
		CreatedRoom room = api.createRoom();
		JoinedMember ann = api.join(room.code(), "Ann");
		try (RawWebSocket raw = connected(ann)) {
			raw.sendText("SEND\ndestination:/app/rooms/" + room.code() + "/keep-alive\nreceipt:s-1\n\n{}\0");
			raw.readUntil("RECEIPT\nreceipt-id:s-1\n");
			raw.sendText("DISCONNECT\nreceipt:bye\n\n\0");
			raw.readUntil("RECEIPT\nreceipt-id:bye\n");
			assertThat(raw.readUntilClosed()).isEmpty();
		}
	}

	@Test
	void frameBeforeConnectThenErrorFrameAndClosed() {
		try (RawWebSocket raw = RawWebSocket.open(this.port, Map.of())) {
			raw.sendText("SUBSCRIBE\nid:1\ndestination:/user/queue/room\n\n\0");
			assertThat(raw.readUntilClosed()).startsWith("ERROR\n").contains("\ncode:unauthorized\n");
		}
	}

	@Test
	void malformedFrameThenErrorFrameAndClosedWhileOtherConnectionsCarryOn() {
		ApiClient api = new ApiClient(this.port);
		CreatedRoom room = api.createRoom();
		JoinedMember ann = api.join(room.code(), "Ann");
		JoinedMember bob = api.join(room.code(), "Bob");
		try (LiveClient live = new LiveClient(this.port); RawWebSocket raw = connected(ann)) {
			Session b = live.connect(bob.token());
			b.join(room.code());

			raw.sendText("SEND\ndestination:/app/rooms/" + room.code() + "/broadcast\nno colon here\n\n{}\0");

			assertThat(raw.readUntilClosed()).contains("ERROR\n", "\ncode:invalid-request\n", "Malformed frame");
			b.send("/app/rooms/" + room.code() + "/broadcast", Map.of("data", "still working"));
			assertThat(b.awaitRoom("message").body().path("data").asString()).isEqualTo("still working");
		}
	}

	@Test
	void unsupportedVersionOrUnknownCommandThenErrorFrame() {
		ApiClient api = new ApiClient(this.port);
		CreatedRoom room = api.createRoom();
		JoinedMember ann = api.join(room.code(), "Ann");
		try (RawWebSocket raw = RawWebSocket.open(this.port, Map.of())) {
			raw.sendText("CONNECT\naccept-version:1.0\ntoken:" + ann.token() + "\n\n\0");
			assertThat(raw.readUntilClosed()).startsWith("ERROR\n").contains("1.2");
		}
		try (RawWebSocket raw = connected(ann)) {
			raw.sendText("SHOUT\n\n\0");
			assertThat(raw.readUntilClosed()).startsWith("ERROR\n").contains("\ncode:invalid-request\n");
		}
	}

	private RawWebSocket connected(JoinedMember member) {
		RawWebSocket raw = RawWebSocket.open(this.port, Map.of());
		assertThat(raw.status()).isEqualTo(101);
		raw.sendText("CONNECT\naccept-version:1.2\ntoken:" + member.token() + "\n\n\0");
		raw.readUntil("CONNECTED");
		return raw;
	}

}
