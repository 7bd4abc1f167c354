package dev.roomkeeper.live.websocket;

import java.nio.ByteBuffer;

/**
 * What a {@link WebSocket} tells the layer above it. Calls for one connection come one at
 * a time, on the thread reading it; {@link #onClosed} comes once, possibly from another
 * thread.
 */
public interface WebSocketListener {

	/**
	 * A part of a text message (UTF-8, checked well-formed as a whole) or of a binary
	 * message. The bytes are valid until the call returns.
	 * @param text whether the message is text
	 * @param last whether the part ends the message
	 */
	void onMessagePart(boolean text, ByteBuffer payload, boolean last);

	/** A pong (or a ping, which is answered): proof that the client is alive. */
	void onPong();

	/**
	 * The connection is closed: the socket is gone and nothing more can be sent.
	 * @param code the close code the client sent, or {@link CloseCodes#ABNORMAL} if the
	 * connection ended without one
	 */
	void onClosed(int code);

	/**
	 * Whether what arrives next may be read on Tomcat's poller thread, where reads are
	 * handled there at all ({@link PollerReads}): a connection whose next messages may
	 * wait on I/O (a handshake that reads the store) answers {@code false} and is read on
	 * a request thread. Asked between reads.
	 */
	default boolean readsOnPoller() {
		return true;
	}

}
