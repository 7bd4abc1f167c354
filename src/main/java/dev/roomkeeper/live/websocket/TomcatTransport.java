package dev.roomkeeper.live.websocket;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * A {@link WebSocket}'s socket: Tomcat's socket after the upgrade, used without blocking.
 * A write always takes all the bytes (what the socket cannot take now, Tomcat keeps) and
 * says whether more may be written; when it says no, Tomcat dispatches {@code OPEN_WRITE}
 * to the upgrade handler once the socket drains.
 */
final class TomcatTransport implements WebSocket.Transport {

	private final SocketWrapperBase<?> socket;

	TomcatTransport(SocketWrapperBase<?> socket) {
		this.socket = socket;
	}

	@Override
	public boolean write(byte[] data) throws IOException {
		this.socket.write(false, data, 0, data.length);
		return flush();
	}

	@Override
	public boolean flush() throws IOException {
		this.socket.flush(false);
		return this.socket.isReadyForWrite();
	}

	@Override
	public int read(ByteBuffer into) throws IOException {
		return this.socket.read(false, into);
	}

	@Override
	public void close() {
		this.socket.close();
	}

}
