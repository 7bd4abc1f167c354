package dev.roomkeeper.room.event;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Hands room events to the listeners of this instance (the live connections, metrics).
 * <p>
 * Stores call {@link #publish} while they hold the room (memory, file), or from the one
 * thread that receives the events channel (Redis, for events of every instance), so
 * listeners see each room's events in {@code seq} order. An event is serialised once, on
 * the instance that raised it, however many subscribers and instances it has.
 */
@Component
public class RoomEventBus {

	private static final Log log = LogFactory.getLog(RoomEventBus.class);

	private final List<RoomEventListener> listeners = new CopyOnWriteArrayList<>();

	private final JsonMapper jsonMapper;

	public RoomEventBus(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	public void addListener(RoomEventListener listener) {
		this.listeners.add(listener);
	}

	public void removeListener(RoomEventListener listener) {
		this.listeners.remove(listener);
	}

	/** Serialises an event raised on this instance. */
	public PublishedEvent encode(RoomTopicEvent event) {
		return new PublishedEvent(event.room(), event.seq(), event.type(), this.jsonMapper.writeValueAsString(event),
				event);
	}

	/** Delivers an event to this instance's listeners. */
	public void publish(PublishedEvent event) {
		for (RoomEventListener listener : this.listeners) {
			try {
				listener.onEvent(event);
			}
			catch (RuntimeException ex) {
				log.warn("A room event listener failed for room " + event.room(), ex);
			}
		}
	}

	public void publish(RoomTopicEvent event) {
		publish(encode(event));
	}

}
