package dev.roomkeeper.live;

import java.util.Arrays;

/**
 * The subscriptions of one live connection: its room-topic subscriptions (read by the
 * fan-out on publishing threads) and its {@code /user/queue/room} subscriptions. Both are
 * copy-on-write arrays: changed only by the connection's reading thread (and cleared when
 * it ends), read without a lock by any thread.
 */
final class Subscriptions {

	private static final TopicSubscription[] NO_TOPICS = new TopicSubscription[0];

	private static final String[] NO_QUEUES = new String[0];

	private volatile TopicSubscription[] topics = NO_TOPICS;

	/** Subscription ids of {@code /user/queue/room}, in pairs: raw, then escaped. */
	private volatile String[] userQueues = NO_QUEUES;

	/** The room-topic subscriptions, for the fan-out; never modify the array. */
	TopicSubscription[] topics() {
		return this.topics;
	}

	/**
	 * The escaped ids of the {@code /user/queue/room} subscriptions at odd indexes (the
	 * raw ids at even ones); never modify the array.
	 */
	String[] userQueuePairs() {
		return this.userQueues;
	}

	boolean hasUserQueue() {
		return this.userQueues.length > 0;
	}

	int count() {
		return this.topics.length + this.userQueues.length / 2;
	}

	boolean has(String subscriptionId) {
		for (TopicSubscription topic : this.topics) {
			if (topic.id().equals(subscriptionId)) {
				return true;
			}
		}
		String[] queues = this.userQueues;
		for (int i = 0; i < queues.length; i += 2) {
			if (queues[i].equals(subscriptionId)) {
				return true;
			}
		}
		return false;
	}

	void addUserQueue(String subscriptionId) {
		String[] pairs = this.userQueues;
		String[] result = Arrays.copyOf(pairs, pairs.length + 2);
		result[pairs.length] = subscriptionId;
		result[pairs.length + 1] = StompFrames.escape(subscriptionId);
		this.userQueues = result;
	}

	void addTopic(TopicSubscription subscription) {
		TopicSubscription[] topics = this.topics;
		TopicSubscription[] result = Arrays.copyOf(topics, topics.length + 1);
		result[topics.length] = subscription;
		this.topics = result;
	}

	/** Removes the subscription with this id, whichever kind it is. */
	void remove(String subscriptionId) {
		this.topics = Arrays.stream(this.topics)
			.filter((subscription) -> !subscription.id().equals(subscriptionId))
			.toArray(TopicSubscription[]::new);
		String[] pairs = this.userQueues;
		String[] result = new String[pairs.length];
		int kept = 0;
		for (int i = 0; i < pairs.length; i += 2) {
			if (!pairs[i].equals(subscriptionId)) {
				result[kept++] = pairs[i];
				result[kept++] = pairs[i + 1];
			}
		}
		this.userQueues = Arrays.copyOf(result, kept);
	}

	/** No more room events: the connection left its room or ended. */
	void clearTopics() {
		this.topics = NO_TOPICS;
	}

}
