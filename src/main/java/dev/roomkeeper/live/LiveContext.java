package dev.roomkeeper.live;

import java.time.Clock;

import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.history.RoomHistoryService;
import dev.roomkeeper.room.PresenceTracker;
import dev.roomkeeper.room.RoomService;

/**
 * What every live connection shares, held once rather than per connection.
 *
 * @param rooms every change and read of a room
 * @param channels the rooms with connections here, and the event fan-out
 * @param presence member connection counts
 * @param registry every connection, the closing threads
 * @param metrics message counters
 * @param jsonMapper JSON of bodies and user-queue events
 * @param clock event times
 * @param settings limits and intervals
 * @param actions the room actions of a SEND
 * @param history the rooms' recent events, for missed-event recovery
 */
record LiveContext(RoomService rooms, RoomChannels channels, PresenceTracker presence, LiveConnectionRegistry registry,
		LiveMetrics metrics, JsonMapper jsonMapper, Clock clock, LiveSettings settings, LiveRoomActions actions,
		RoomHistoryService history) {
}
