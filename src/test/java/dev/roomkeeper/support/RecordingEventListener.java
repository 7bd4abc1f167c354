package dev.roomkeeper.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.roomkeeper.room.event.PublishedEvent;
import dev.roomkeeper.room.event.RoomEventListener;
import dev.roomkeeper.room.event.RoomTopicEvent;

/**
 * Keeps every room event published on a {@link dev.roomkeeper.room.event.RoomEventBus},
 * in order, for assertions.
 */
public final class RecordingEventListener implements RoomEventListener {

	private final List<PublishedEvent> events = new CopyOnWriteArrayList<>();

	@Override
	public void onEvent(PublishedEvent event) {
		this.events.add(event);
	}

	/** Every event so far. */
	public List<PublishedEvent> all() {
		return List.copyOf(this.events);
	}

	/** The events of one room so far, in order. */
	public List<PublishedEvent> ofRoom(String code) {
		return this.events.stream().filter((event) -> event.room().equals(code)).toList();
	}

	/** The types of one room's events so far, in order. */
	public List<String> typesOf(String code) {
		return ofRoom(code).stream().map(PublishedEvent::type).toList();
	}

	/** The events of one type so far, as the event records. */
	public <E extends RoomTopicEvent> List<E> ofType(Class<E> type) {
		return this.events.stream().map(PublishedEvent::event).filter(type::isInstance).map(type::cast).toList();
	}

	public void clear() {
		this.events.clear();
	}

}
