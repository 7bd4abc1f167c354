package dev.roomkeeper.live;

import dev.roomkeeper.room.event.PublishedEvent;

/**
 * A room event as a MESSAGE frame for {@code /topic/rooms/{code}}, built once per event:
 * subscribers' frames differ only in their {@code subscription} header, so each is the
 * shared head, the subscription id and the shared tail (the event's JSON, serialised once
 * by the event bus). Clients of one library tend to use the same subscription id, so the
 * last frame built is reused for the next subscriber with the same id.
 * <p>
 * Used by one thread at a time (the one fanning the event out).
 */
final class TopicFrame {

	private final long seq;

	private final String head;

	private final String tail;

	private String lastSubscription;

	private String lastFrame;

	private TopicFrame(long seq, String head, String tail) {
		this.seq = seq;
		this.head = head;
		this.tail = tail;
	}

	static TopicFrame of(PublishedEvent event) {
		String json = StompFrames.encodable(event.json());
		String head = "MESSAGE\ndestination:" + LiveDestinations.roomTopic(event.room())
				+ "\ncontent-type:application/json\ncontent-length:" + StompFrames.utf8Length(json) + "\nmessage-id:"
				+ event.room() + "-" + event.seq() + "\nsubscription:";
		return new TopicFrame(event.seq(), head, "\n\n" + json + "\0");
	}

	long seq() {
		return this.seq;
	}

	/** The frame for a subscription id (already escaped). */
	String forSubscription(String escapedSubscription) {
		if (!escapedSubscription.equals(this.lastSubscription)) {
			this.lastFrame = new StringBuilder(this.head.length() + escapedSubscription.length() + this.tail.length())
				.append(this.head)
				.append(escapedSubscription)
				.append(this.tail)
				.toString();
			this.lastSubscription = escapedSubscription;
		}
		return this.lastFrame;
	}

}
