package dev.roomkeeper.live;

import dev.roomkeeper.room.RoomProperties;

/**
 * The numbers every live connection works with, read once from {@link RoomProperties}.
 *
 * @param maxHeaderBytes largest command and headers of a client frame
 * @param maxBodyBytes largest body of a client frame ({@code rooms.limits.message-bytes})
 * @param sendBufferBytes outbound data a connection may have pending
 * ({@code rooms.limits.send-buffer-bytes})
 * @param sendTimeLimitMillis longest one write may take
 * ({@code rooms.limits.send-time-limit})
 * @param messagesPerSecond frames per second per connection
 * ({@code rooms.limits.messages-per-second})
 * @param heartbeatMillis heart-beat interval offered and expected, 0 for none
 * ({@code rooms.live.heartbeat})
 * @param maxSubscriptions subscriptions one connection may hold
 */
record LiveSettings(int maxHeaderBytes, int maxBodyBytes, long sendBufferBytes, long sendTimeLimitMillis,
		int messagesPerSecond, long heartbeatMillis, int maxSubscriptions) {

	static final int MAX_HEADER_BYTES = 8192;

	static final int MAX_SUBSCRIPTIONS = 16;

	static LiveSettings of(RoomProperties properties) {
		RoomProperties.Limits limits = properties.getLimits();
		return new LiveSettings(MAX_HEADER_BYTES,
				(int) Math.min(Integer.MAX_VALUE - 8, limits.getMessageBytes().toBytes()),
				limits.getSendBufferBytes().toBytes(), limits.getSendTimeLimit().toMillis(),
				limits.getMessagesPerSecond(), properties.getLive().getHeartbeat().toMillis(), MAX_SUBSCRIPTIONS);
	}

}
