package dev.roomkeeper.live.websocket;

/**
 * Limits of a connection's outbound side.
 *
 * @param sendBufferBytes data a connection may have waiting for a client that does not
 * read; past it the connection is cut off (a single larger message is still sent when
 * nothing else waits)
 * @param sendTimeLimitMillis how long a write may wait for a client that does not read
 * before the connection is cut off
 */
public record WebSocketOptions(long sendBufferBytes, long sendTimeLimitMillis) {
}
