package dev.roomkeeper.live;

import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.roomkeeper.room.event.MemberRemovedEvent;
import dev.roomkeeper.room.event.PublishedEvent;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.room.event.RoomEventListener;

/**
 * The rooms that have live connections on this instance, and the listener that hands each
 * room event to them.
 * <p>
 * A {@code closed} event reaches every subscriber of the room, then the room's
 * connections are detached (no more events) and closed once that frame is written. A
 * {@code member-removed} event likewise ends the connections of the removed member, whose
 * token no longer opens anything.
 */
@Component
class RoomChannels implements RoomEventListener {

	static final CloseReason ROOM_CLOSED = CloseReason.ROOM_CLOSED;

	static final CloseReason MEMBER_REMOVED = CloseReason.MEMBER_REMOVED;

	private final ConcurrentHashMap<String, RoomChannel> channels = new ConcurrentHashMap<>();

	private final RoomEventBus eventBus;

	private final JsonMapper jsonMapper;

	RoomChannels(RoomEventBus eventBus, JsonMapper jsonMapper) {
		this.eventBus = eventBus;
		this.jsonMapper = jsonMapper;
		eventBus.addListener(this);
	}

	@PreDestroy
	void stopListening() {
		this.eventBus.removeListener(this);
	}

	void join(String code, LiveConnection connection) {
		this.channels.compute(code, (key, channel) -> {
			RoomChannel joined = (channel != null) ? channel : new RoomChannel();
			joined.add(connection);
			return joined;
		});
	}

	void leave(String code, LiveConnection connection) {
		this.channels.computeIfPresent(code, (key, channel) -> {
			channel.remove(connection);
			return channel.isEmpty() ? null : channel;
		});
	}

	/** Open connections acting for members of a room on this instance. */
	int count(String code) {
		RoomChannel channel = this.channels.get(code);
		return (channel != null) ? channel.size() : 0;
	}

	@Override
	public void onEvent(PublishedEvent event) {
		RoomChannel channel = this.channels.get(event.room());
		if (channel == null) {
			return;
		}
		channel.publish(event);
		if (event.isClosed()) {
			for (LiveConnection connection : channel.all()) {
				end(event.room(), connection, ROOM_CLOSED);
			}
		}
		else if ("member-removed".equals(event.type())) {
			for (LiveConnection connection : channel.connectionsOf(removedMemberId(event))) {
				end(event.room(), connection, MEMBER_REMOVED);
			}
		}
	}

	private void end(String code, LiveConnection connection, CloseReason status) {
		connection.detach(status);
		leave(code, connection);
	}

	private String removedMemberId(PublishedEvent event) {
		if (event.event() instanceof MemberRemovedEvent removed) {
			return removed.memberId();
		}
		JsonNode memberId = this.jsonMapper.readTree(event.json()).get("memberId");
		return (memberId != null) ? memberId.asString() : "";
	}

}
