package dev.roomkeeper.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.roomkeeper.room.event.PublishedEvent;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.room.event.RoomEventListener;

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

	/** The events of one room, in the order they were published. */
	public List<PublishedEvent> of(String room) {
		synchronized (this.events) {
			return this.events.stream().filter((event) -> event.room().equals(room)).toList();
		}
	}

	@Override
	public void close() {
		this.bus.removeListener(this);
	}

}
