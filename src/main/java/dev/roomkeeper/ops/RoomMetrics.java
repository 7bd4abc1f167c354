package dev.roomkeeper.ops;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

import dev.roomkeeper.room.event.ClosedEvent;
import dev.roomkeeper.room.event.PublishedEvent;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.room.event.RoomEventListener;

/**
 * The Micrometer meters of Roomkeeper, scraped at {@code /actuator/prometheus}.
 * <p>
 * Gauges read the counts the store keeps ({@link RoomCensus}) and the live connections
 * when scraped, so a scrape costs the same with any number of rooms; counters follow the
 * room events of this instance ({@link RoomEventListener}); the message counters, the
 * sweep timer and the store write timer are registered here (so they show from the start)
 * and recorded by the live feature, the sweeper and the store, which find them by name.
 * Events that reached this instance from another one (Redis) are not counted here, so
 * summing the counters of all instances counts each event once.
 */
@Component
public class RoomMetrics implements RoomEventListener {

	/** Gauge: open rooms (not past their idle timeout). */
	public static final String OPEN_ROOMS = "roomkeeper.rooms.open";

	/** Gauge: members of open rooms. */
	public static final String MEMBERS = "roomkeeper.members";

	/** Gauge: open live (WebSocket) connections on this instance. */
	public static final String CONNECTIONS = "roomkeeper.connections";

	/** Counter: STOMP SENDs received; incremented by the live feature. */
	public static final String MESSAGES_IN = "roomkeeper.messages.in";

	/** Counter: STOMP MESSAGE frames sent to clients; incremented by the live feature. */
	public static final String MESSAGES_OUT = "roomkeeper.messages.out";

	/** Counter with tag {@code type}: room events raised on this instance. */
	public static final String EVENTS = "roomkeeper.events";

	/** Counter with tag {@code reason}: rooms closed on this instance. */
	public static final String ROOMS_CLOSED = "roomkeeper.rooms.closed";

	/**
	 * Counter: rooms evicted to make room for a new one ({@code closed},
	 * {@code evicted}).
	 */
	public static final String EVICTIONS = "roomkeeper.evictions";

	/** Timer: one run of the sweeper; recorded by the sweeper. */
	public static final String SWEEP = "roomkeeper.sweep";

	/** Every room-topic event type of the contract. */
	static final List<String> EVENT_TYPES = List.of("state", "message", "presence", "member-joined", "member-connected",
			"member-disconnected", "member-removed", "settings", "warning", "closed");

	/** Every reason of a {@code closed} event. */
	static final List<String> CLOSE_REASONS = List.of("inactivity", "owner", "admin", "evicted", "empty");

	private final MeterRegistry registry;

	private final Map<String, Counter> events = new ConcurrentHashMap<>();

	private final Map<String, Counter> closed = new ConcurrentHashMap<>();

	private final Counter evictions;

	public RoomMetrics(MeterRegistry registry, RoomCensus census, LiveConnectionCounts connections,
			RoomEventBus eventBus) {
		this.registry = registry;
		Gauge.builder(OPEN_ROOMS, census, (c) -> c.totals().rooms())
			.description("Open rooms (not past their idle timeout)")
			.register(registry);
		Gauge.builder(MEMBERS, census, (c) -> c.totals().members())
			.description("Members of open rooms")
			.register(registry);
		Gauge.builder(CONNECTIONS, connections, LiveConnectionCounts::total)
			.description("Open live (WebSocket) connections on this instance")
			.register(registry);
		Counter.builder(MESSAGES_IN).description("STOMP SENDs received from clients").register(registry);
		Counter.builder(MESSAGES_OUT).description("STOMP messages sent to clients").register(registry);
		Timer.builder(SWEEP).description("Time of one sweep for idle rooms and stale members").register(registry);
		EVENT_TYPES.forEach(this::eventCounter);
		CLOSE_REASONS.forEach(this::closedCounter);
		this.evictions = Counter.builder(EVICTIONS)
			.description("Rooms closed to make room for a new one")
			.register(registry);
		eventBus.addListener(this);
	}

	@Override
	public void onEvent(PublishedEvent event) {
		if (event.event() == null) {
			return;
		}
		eventCounter(event.type()).increment();
		if (event.event() instanceof ClosedEvent closedEvent) {
			closedCounter(closedEvent.reason()).increment();
			if ("evicted".equals(closedEvent.reason())) {
				this.evictions.increment();
			}
		}
	}

	private Counter eventCounter(String type) {
		return this.events.computeIfAbsent(type,
				(key) -> Counter.builder(EVENTS)
					.description("Room events raised on this instance")
					.tag("type", key)
					.register(this.registry));
	}

	private Counter closedCounter(String reason) {
		return this.closed.computeIfAbsent(reason,
				(key) -> Counter.builder(ROOMS_CLOSED)
					.description("Rooms closed on this instance")
					.tag("reason", key)
					.register(this.registry));
	}

}
