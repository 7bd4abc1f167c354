package dev.roomkeeper.live.websocket;

import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.ProtocolHandler;
import org.apache.coyote.http11.upgrade.UpgradeProcessorInternal;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketProcessorBase;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.apache.tomcat.util.threads.TaskQueue;
import org.apache.tomcat.util.threads.TaskThreadFactory;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;

/**
 * Tomcat's request thread pool, except that data arriving on a live connection is read
 * and handled on Tomcat's poller thread itself instead of being handed to a request
 * thread.
 * <p>
 * Tomcat's poller notices a readable socket and hands it to a request thread, which reads
 * and handles the frames and then hands the socket back to the poller: two thread
 * wake-ups and an {@code eventfd} write per incoming message. On one core that hand-off
 * costs more than the message itself (a CPU profile at 30,000 deliveries/s: the
 * scheduler, futexes and the poller's wake-ups were ~30% of the server's CPU; handling
 * the reads on the poller gave 10-45% more deliveries per CPU-second). It is only right
 * when handling a message seldom waits: on the memory store nothing does; the Redis store
 * writes a broadcast in the background and waits for Redis on the rarer changes (state,
 * presence, joins), one round trip each (on two instances on one Redis, 20-35% more
 * deliveries per CPU-second); the file store waits for its journal's fsync on a state
 * change, which would stall every connection's reads for milliseconds. And one poller
 * thread handles all live connections, so with several cores the request threads'
 * parallelism is worth more. {@code dev.roomkeeper.live.LiveEndpointConfiguration}
 * decides.
 * <p>
 * Everything else (HTTP requests, the first read of a connection before its upgrade,
 * writable events, and the reads of a live connection that says its next messages may
 * wait, such as a STOMP session before it is connected and subscribed) runs on the
 * request threads as usual. Tomcat hands a socket to one thread at a time, so a
 * connection's messages keep their order whichever thread reads them. The pool is built
 * as Tomcat builds its own, from the connector's thread settings
 * ({@code server.tomcat.threads.*}); Tomcat does not stop an executor it was given, so
 * {@link #shutdownNow()} it when the web server has stopped.
 */
public final class PollerReads extends ThreadPoolExecutor {

	private static final Field SOCKET_WRAPPER = field("socketWrapper");

	private static final Field EVENT = field("event");

	private PollerReads(int minSpareThreads, int maxThreads, TaskQueue queue, TaskThreadFactory threads) {
		super(minSpareThreads, maxThreads, 60, TimeUnit.SECONDS, queue, threads);
	}

	/**
	 * Gives the connector's protocol a {@link PollerReads} pool in place of the one it
	 * would create; call before the connector starts.
	 * @return the pool, to be shut down once the connector has stopped
	 */
	public static PollerReads install(Connector connector) {
		ProtocolHandler handler = connector.getProtocolHandler();
		if (!(handler instanceof AbstractProtocol<?> protocol)) {
			throw new IllegalStateException(
					"Reading live connections on the poller needs Tomcat's AbstractProtocol, not "
							+ handler.getClass().getName());
		}
		TaskQueue queue = new TaskQueue(protocol.getMaxQueueSize());
		TaskThreadFactory threads = new TaskThreadFactory("http-exec-", true, protocol.getThreadPriority());
		PollerReads pool = new PollerReads(protocol.getMinSpareThreads(), protocol.getMaxThreads(), queue, threads);
		queue.setParent(pool);
		protocol.setExecutor(pool);
		return pool;
	}

	@Override
	public void execute(Runnable task) {
		if (isLiveRead(task)) {
			task.run();
		}
		else {
			super.execute(task);
		}
	}

	/**
	 * Whether the task is Tomcat's poller handing over a readable upgraded connection:
	 * request threads are Tomcat's {@code TaskThread}s, the poller is not.
	 */
	private static boolean isLiveRead(Runnable task) {
		if (!(task instanceof SocketProcessorBase<?> processor)
				|| Thread.currentThread() instanceof org.apache.tomcat.util.threads.TaskThread) {
			return false;
		}
		try {
			SocketWrapperBase<?> socket = (SocketWrapperBase<?>) SOCKET_WRAPPER.get(processor);
			return EVENT.get(processor) == SocketEvent.OPEN_READ && socket != null
					&& socket.getCurrentProcessor() instanceof UpgradeProcessorInternal upgraded
					&& upgraded.getUpgradeToken().getHttpUpgradeHandler() instanceof WebSocketUpgradeHandler handler
					&& handler.readsOnPoller();
		}
		catch (IllegalAccessException ex) {
			return false;
		}
	}

	private static Field field(String name) {
		try {
			Field field = SocketProcessorBase.class.getDeclaredField(name);
			field.setAccessible(true);
			return field;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			throw new IllegalStateException("Tomcat's SocketProcessorBase." + name + " is not there as expected", ex);
		}
	}

}
