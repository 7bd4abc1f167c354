package dev.roomkeeper.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.roomkeeper.room.event.PublishedEvent;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.room.event.RoomEventListener;
import dev.roomkeeper.room.event.RoomTopicEvent;

/** Records the room events an application publishes, for assertions. */
public final class RecordedEvents implements RoomEventListener, AutoCloseable {

	private final List<PublishedEvent> events = Collections.synchronizedList(new ArrayList<>());

	private final RoomEventBus bus;

	public RecordedEvents(RoomEventBus bus) {
		this.bus = bus;
		bus.addListener(this);
	}

	@Override
	public void onEvent(PublishedEvent event) {
		this.events.add(event);
	}

	/** Every event so far, in the order they were published. */
	public List<PublishedEvent> all() {
		synchronized (this.events) {
			return List.copyOf(this.events);
		}
	}

	/** The events of one room, in the order they were published. */
	public List<PublishedEvent> of(String room) {
		synchronized (this.events) {
			return this.events.stream().filter((event) -> event.room().equals(room)).toList();
		}
	}

	/** The types of one room's events, in the order they were published. */
	public List<String> typesOf(String room) {
		return of(room).stream().map(PublishedEvent::type).toList();
	}

	/**
	 * The events of one kind (e.g. {@code WarningEvent}), in the order they were
	 * published.
	 */
	public <E extends RoomTopicEvent> List<E> ofType(Class<E> type) {
		return all().stream().map(PublishedEvent::event).filter(type::isInstance).map(type::cast).toList();
	}

	/** Forgets the events so far. */
	public void clear() {
		this.events.clear();
	}

	@Override
	public void close() {
		this.bus.removeListener(this);
	}

}
