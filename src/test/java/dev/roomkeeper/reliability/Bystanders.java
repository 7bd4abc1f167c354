package dev.roomkeeper.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.RawWebSocket;

/**
 * Two members of a room of their own, connected over STOMP: one broadcasts, the other
 * receives; the round trip tells whether (and how fast) other rooms still work.
 */
final class Bystanders implements AutoCloseable {

	private final RawWebSocket sender;

	private final RawWebSocket receiver;

	private final String code;

	private int sent;

	private Bystanders(RawWebSocket sender, RawWebSocket receiver, String code) {
		this.sender = sender;
		this.receiver = receiver;
		this.code = code;
	}

	static Bystanders open(int port, ApiClient api) {
		CreatedRoom room = api.createRoom();
		JoinedMember ann = api.join(room.code(), "Ann");
		JoinedMember bob = api.join(room.code(), "Bob");
		RawWebSocket sender = connect(port, ann.token());
		RawWebSocket receiver = connect(port, bob.token());
		receiver.sendText("SUBSCRIBE\nid:room\ndestination:/topic/rooms/" + room.code() + "\nreceipt:r\n\n\0");
		receiver.readUntil("receipt-id:r");
		return new Bystanders(sender, receiver, room.code());
	}

	private static RawWebSocket connect(int port, String token) {
		RawWebSocket socket = RawWebSocket.open(port, Map.of());
		socket.sendText("CONNECT\naccept-version:1.2\nheart-beat:0,0\ntoken:" + token + "\n\n\0");
		socket.readUntil("CONNECTED");
		return socket;
	}

	/** Round trips of a broadcast, in microseconds. */
	List<Long> roundTrips(int count) {
		List<Long> micros = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String marker = "ping-" + (++this.sent);
			long start = System.nanoTime();
			this.sender.sendText("SEND\ndestination:/app/rooms/" + this.code
					+ "/broadcast\ncontent-type:application/json\n\n{\"data\":\"" + marker + "\"}\0");
			this.receiver.readUntil(marker + "\"");
			micros.add((System.nanoTime() - start) / 1000);
		}
		return micros;
	}

	@Override
	public void close() {
		this.sender.close();
		this.receiver.close();
	}

}
