package dev.roomkeeper.room.event;

/**
 * A room-topic event and its JSON, serialised once for every subscriber and every
 * instance.
 *
 * @param room the room code
 * @param seq the event's seq
 * @param type the event's type
 * @param json the event as JSON
 * @param event the event itself, when it was raised on this instance ({@code null} for
 * events that arrived from another instance)
 */
public record PublishedEvent(String room, long seq, String type, String json, RoomTopicEvent event) {

	public boolean isClosed() {
		return "closed".equals(this.type);
	}

}
