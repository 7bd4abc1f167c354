package dev.roomkeeper.live;

import java.nio.charset.StandardCharsets;

import dev.roomkeeper.live.websocket.WebSocketFrames;
import dev.roomkeeper.room.event.PublishedEvent;

/**
 * A room event as a MESSAGE frame for {@code /topic/rooms/{code}}, encoded once per
 * event: subscribers' frames differ only in their {@code subscription} header, so each is
 * the shared head, the subscription id and the shared tail (the event's JSON, serialised
 * once by the event bus), as the bytes of a WebSocket text frame. Clients of one library
 * tend to use the same subscription id, so the frame last built is reused, the same bytes
 * written to every subscriber with that id.
 * <p>
 * Used by one thread at a time (the one fanning the event out).
 */
final class TopicFrame {

	private final long seq;

	private final byte[] head;

	/** The event's JSON in UTF-8: the frame's body, after a blank line. */
	private final byte[] body;

	private String lastSubscription;

	private byte[] lastFrame;

	private TopicFrame(long seq, byte[] head, byte[] body) {
		this.seq = seq;
		this.head = head;
		this.body = body;
	}

	static TopicFrame of(PublishedEvent event) {
		// Without lone surrogates, the JSON's UTF-8 bytes are exact.
		byte[] body = StompFrames.encodable(event.json()).getBytes(StandardCharsets.UTF_8);
		String head = "MESSAGE\ndestination:" + LiveDestinations.roomTopic(event.room())
				+ "\ncontent-type:application/json\ncontent-length:" + body.length + "\nmessage-id:" + event.room()
				+ "-" + event.seq() + "\nsubscription:";
		return new TopicFrame(event.seq(), head.getBytes(StandardCharsets.UTF_8), body);
	}

	long seq() {
		return this.seq;
	}

	/** The encoded frame for a subscription id (already escaped). */
	byte[] forSubscription(String escapedSubscription) {
		if (!escapedSubscription.equals(this.lastSubscription)) {
			byte[] subscription = escapedSubscription.getBytes(StandardCharsets.UTF_8);
			// head, subscription id, blank line, body, NUL (the array's last byte, 0)
			int length = this.head.length + subscription.length + 2 + this.body.length + 1;
			byte[] frame = WebSocketFrames.textWithRoomFor(length);
			int at = WebSocketFrames.headerLength(length);
			System.arraycopy(this.head, 0, frame, at, this.head.length);
			at += this.head.length;
			System.arraycopy(subscription, 0, frame, at, subscription.length);
			at += subscription.length;
			frame[at++] = '\n';
			frame[at++] = '\n';
			System.arraycopy(this.body, 0, frame, at, this.body.length);
			this.lastFrame = frame;
			this.lastSubscription = escapedSubscription;
		}
		return this.lastFrame;
	}

}
