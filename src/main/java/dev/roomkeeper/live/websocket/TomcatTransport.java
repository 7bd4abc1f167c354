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
 * <p>
 * A direct write copies the frame into a direct buffer of the writing thread's own, as
 * the JDK would for a heap buffer, but without wrapping every frame in a new
 * {@link ByteBuffer} (one per delivery, the largest single allocation of a broadcast's
 * fan-out). Frames larger than that buffer, and writes from virtual threads, are wrapped
 * as before.
 */
final class TomcatTransport implements WebSocket.Transport {

	/**
	 * The size of each writing thread's direct buffer: larger frames are wrapped instead.
	 */
	static final int DIRECT_WRITE_BUFFER_BYTES = 16 * 1024;

	private static final String VIRTUAL_THREAD_CLASS = "java.lang.VirtualThread";

	private static final ThreadLocal<ByteBuffer> directWriteBuffers = ThreadLocal
		.withInitial(() -> ByteBuffer.allocateDirect(DIRECT_WRITE_BUFFER_BYTES));

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
			offset = writeToChannel(data);
			if (offset == data.length) {
				return true;
			}
		}
		this.socket.write(false, data, offset, data.length - offset);
		return flush();
	}

	/** Writes what the channel takes now; returns how many bytes that was. */
	private int writeToChannel(byte[] data) throws IOException {
		ByteBuffer buffer;
		if (data.length <= DIRECT_WRITE_BUFFER_BYTES && !isVirtual(Thread.currentThread())) {
			buffer = directWriteBuffers.get();
			buffer.clear();
			buffer.put(data);
			buffer.flip();
		}
		else {
			buffer = ByteBuffer.wrap(data);
		}
		this.plainChannel.write(buffer);
		return buffer.position();
	}

	/**
	 * Whether a thread is virtual (with {@code spring.threads.virtual.enabled} on a JVM
	 * that has them): a virtual thread lives for one task, so a buffer of its own would
	 * be a new direct buffer per write. Asked by class name, as Java 17 has no
	 * {@code Thread.isVirtual()}.
	 */
	static boolean isVirtual(Thread thread) {
		return VIRTUAL_THREAD_CLASS.equals(thread.getClass().getName());
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
