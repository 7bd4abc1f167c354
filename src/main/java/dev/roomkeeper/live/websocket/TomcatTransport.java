package dev.roomkeeper.live.websocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * A {@link WebSocket}'s socket: Tomcat's socket after the upgrade, used without blocking.
 * A write always takes all the bytes (what the socket cannot take now, Tomcat keeps) and
 * says whether more may be written; when it says no, Tomcat dispatches {@code OPEN_WRITE}
 * to the upgrade handler once the socket drains.
 * <p>
 * On a plain (not TLS) connection with nothing already waiting in Tomcat, a frame is
 * written straight to the channel, whatever its size: Tomcat's own write path copies it
 * into the connection's socket buffer and writes one buffer's worth per system call, so
 * the buffer can stay small (it is kept for the connection's whole life) without large
 * frames costing several system calls. Only what the socket does not take then goes
 * through Tomcat, which keeps it and reports when the socket drains.
 * <p>
 * The direct writes go to the connection's own {@link SocketChannel}, never to Tomcat's
 * {@link NioChannel} wrapper: Tomcat gives that wrapper to a new connection once this one
 * is closed, while a closed {@code SocketChannel} stays closed, so a write that races the
 * close fails instead of reaching another client.
 */
final class TomcatTransport implements WebSocket.Transport {

	private final SocketWrapperBase<?> socket;

	/** The plain channel to write to directly, or null (TLS, or another endpoint). */
	private final SocketChannel plainChannel;

	TomcatTransport(SocketWrapperBase<?> socket) {
		this.socket = socket;
		this.plainChannel = plainChannelOf(socket);
	}

	private static SocketChannel plainChannelOf(SocketWrapperBase<?> socket) {
		Object channel = socket.getSocket();
		return (channel != null && channel.getClass() == NioChannel.class) ? ((NioChannel) channel).getIOChannel()
				: null;
	}

	@Override
	public boolean write(byte[] data) throws IOException {
		int offset = 0;
		if (this.plainChannel != null && !this.socket.hasDataToWrite()) {
			ByteBuffer direct = ByteBuffer.wrap(data);
			this.plainChannel.write(direct);
			if (!direct.hasRemaining()) {
				return true;
			}
			offset = direct.position();
		}
		this.socket.write(false, data, offset, data.length - offset);
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
