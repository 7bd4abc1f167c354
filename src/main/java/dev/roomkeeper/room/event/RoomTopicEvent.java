package dev.roomkeeper.room.event;

/**
 * An event sent to everyone subscribed to {@code /topic/rooms/{code}}; its {@code seq} is
 * the room's sequence number after the event.
 */
public sealed interface RoomTopicEvent extends RoomEvent
		permits StateEvent, MessageEvent, PresenceEvent, MemberJoinedEvent, MemberConnectedEvent,
		MemberDisconnectedEvent, MemberRemovedEvent, SettingsEvent, WarningEvent, ClosedEvent {

	long seq();

}
