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

	private static final byte[] MESSAGE_DESTINATION = ascii("MESSAGE\ndestination:" + LiveDestinations.roomTopic(""));

	private static final byte[] CONTENT_TYPE_AND_LENGTH = ascii("\ncontent-type:application/json\ncontent-length:");

	private static final byte[] MESSAGE_ID = ascii("\nmessage-id:");

	private static final byte[] SUBSCRIPTION = ascii("\nsubscription:");

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
		return new TopicFrame(event.seq(), head(event.room(), event.seq(), body.length), body);
	}

	/**
	 * The frame's head up to the subscription id, written straight into bytes: no string
	 * is built and copied on every event.
	 */
	private static byte[] head(String room, long seq, int contentLength) {
		byte[] code = room.getBytes(StandardCharsets.UTF_8);
		byte[] head = new byte[MESSAGE_DESTINATION.length + code.length + CONTENT_TYPE_AND_LENGTH.length
				+ decimalLength(contentLength) + MESSAGE_ID.length + code.length + 1 + decimalLength(seq)
				+ SUBSCRIPTION.length];
		int at = put(head, 0, MESSAGE_DESTINATION);
		at = put(head, at, code);
		at = put(head, at, CONTENT_TYPE_AND_LENGTH);
		at = putDecimal(head, at, contentLength);
		at = put(head, at, MESSAGE_ID);
		at = put(head, at, code);
		head[at++] = '-';
		at = putDecimal(head, at, seq);
		put(head, at, SUBSCRIPTION);
		return head;
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	private static int put(byte[] into, int at, byte[] bytes) {
		System.arraycopy(bytes, 0, into, at, bytes.length);
		return at + bytes.length;
	}

	/** Puts a number in decimal, as {@link Long#toString(long)} writes it. */
	private static int putDecimal(byte[] into, int at, long number) {
		int end = at + decimalLength(number);
		long rest = number;
		int i = end;
		do {
			into[--i] = (byte) ('0' + Math.abs(rest % 10));
			rest /= 10;
		}
		while (rest != 0);
		if (number < 0) {
			into[at] = '-';
		}
		return end;
	}

	private static int decimalLength(long number) {
		int length = (number < 0) ? 2 : 1;
		for (long rest = number / 10; rest != 0; rest /= 10) {
			length++;
		}
		return length;
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
