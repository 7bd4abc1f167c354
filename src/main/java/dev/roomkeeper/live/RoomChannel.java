package dev.roomkeeper.live;

import java.util.ArrayList;
import java.util.List;

import dev.roomkeeper.room.event.PublishedEvent;

/**
 * The connections of one room on this instance, and the fan-out of the room's events to
 * their topic subscriptions.
 * <p>
 * Events are published while the room is held, so {@link #publish} sees a room's events
 * one at a time and in seq order; it only queues frames (never writes or waits), so a
 * slow client cannot hold the room. The connection list is an array replaced on change:
 * joins and leaves are rare next to events.
 */
final class RoomChannel {

	private static final LiveConnection[] NONE = new LiveConnection[0];

	private volatile LiveConnection[] connections = NONE;

	synchronized void add(LiveConnection connection) {
		LiveConnection[] current = this.connections;
		LiveConnection[] updated = new LiveConnection[current.length + 1];
		System.arraycopy(current, 0, updated, 0, current.length);
		updated[current.length] = connection;
		this.connections = updated;
	}

	synchronized void remove(LiveConnection connection) {
		LiveConnection[] current = this.connections;
		for (int i = 0; i < current.length; i++) {
			if (current[i] == connection) {
				LiveConnection[] updated = new LiveConnection[current.length - 1];
				System.arraycopy(current, 0, updated, 0, i);
				System.arraycopy(current, i + 1, updated, i, current.length - i - 1);
				this.connections = updated;
				return;
			}
		}
	}

	int size() {
		return this.connections.length;
	}

	boolean isEmpty() {
		return this.connections.length == 0;
	}

	/** Queues the event for every topic subscription; the frame is built once. */
	void publish(PublishedEvent event) {
		TopicFrame frame = null;
		for (LiveConnection connection : this.connections) {
			TopicSubscription[] subscriptions = connection.topicSubscriptions();
			if (subscriptions.length == 0) {
				continue;
			}
			if (frame == null) {
				frame = TopicFrame.of(event);
			}
			for (TopicSubscription subscription : subscriptions) {
				connection.deliver(subscription, frame.seq(), frame.forSubscription(subscription.escapedId()));
			}
		}
	}

	/** The connections acting for a member. */
	List<LiveConnection> connectionsOf(String memberId) {
		List<LiveConnection> found = new ArrayList<>(1);
		for (LiveConnection connection : this.connections) {
			if (memberId.equals(connection.memberId())) {
				found.add(connection);
			}
		}
		return found;
	}

	List<LiveConnection> all() {
		return List.of(this.connections);
	}

}
