package dev.roomkeeper.live;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.roomkeeper.room.LiveConnections;
import dev.roomkeeper.room.RoomProperties;
import dev.roomkeeper.system.LogLine;

/**
 * Every open live connection of this instance: counts per client address
 * ({@code rooms.limits.connections-per-address}), the timer for heart-beats and the
 * sockets' deadlines, the threads that clean up after a closed connection (leaving its
 * room and telling presence, which changes the room: never on a thread that may be
 * delivering one of the room's events), and the shutdown that tells every connection the
 * server is restarting ({@code server-restarting}, then {@code 1012 service restart})
 * before the web server and the store stop, so clients reconnect, members are shown
 * disconnected and the store flushes it.
 */
@Component
class LiveConnectionRegistry implements LiveConnections, SmartLifecycle, DisposableBean {

	private static final Log log = LogFactory.getLog(LiveConnectionRegistry.class);

	private static final long MAX_TICK_MILLIS = 1000;

	private static final long MIN_TICK_MILLIS = 50;

	private static final long SHUTDOWN_WAIT_MILLIS = 5000;

	/**
	 * How long the restart notice may take to reach the clients before they are cut off.
	 */
	private static final long NOTICE_WAIT_MILLIS = 2000;

	private final ConcurrentHashMap<String, LiveConnection> connections = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();

	private final RoomChannels channels;

	private final int maxPerAddress;

	private final long tickMillis;

	private final ExecutorService closer;

	private final Object allClosed = new Object();

	private ScheduledExecutorService timer;

	private volatile boolean running;

	private volatile boolean accepting = true;

	LiveConnectionRegistry(RoomChannels channels, RoomProperties properties) {
		this.channels = channels;
		this.maxPerAddress = properties.getLimits().getConnectionsPerAddress();
		long heartbeat = properties.getLive().getHeartbeat().toMillis();
		this.tickMillis = (heartbeat <= 0) ? MAX_TICK_MILLIS
				: Math.max(MIN_TICK_MILLIS, Math.min(MAX_TICK_MILLIS, heartbeat / 4));
		this.closer = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
				daemonThreads("roomkeeper-live-close-"));
	}

	@Override
	public int total() {
		return this.connections.size();
	}

	@Override
	public int inRoom(String code) {
		return this.channels.count(code);
	}

	/**
	 * Whether another connection from this address is allowed now (checked at the
	 * handshake).
	 */
	boolean allows(String address) {
		return this.perAddress.getOrDefault(address, 0) < this.maxPerAddress;
	}

	/**
	 * Counts a new connection from an address, unless the address is at its limit.
	 * @return whether the connection was counted
	 */
	boolean tryAdd(String address, LiveConnection connection) {
		boolean[] added = new boolean[1];
		this.perAddress.compute(address, (key, count) -> {
			int current = (count != null) ? count : 0;
			if (current >= this.maxPerAddress) {
				return count;
			}
			added[0] = true;
			return current + 1;
		});
		if (added[0]) {
			this.connections.put(connection.id(), connection);
		}
		return added[0];
	}

	LiveConnection get(String id) {
		return this.connections.get(id);
	}

	/** Forgets a closed connection; returns it, or null if it was never counted. */
	LiveConnection remove(String id) {
		LiveConnection connection = this.connections.remove(id);
		if (connection != null) {
			this.perAddress.computeIfPresent(connection.address(), (key, count) -> (count <= 1) ? null : count - 1);
			if (this.connections.isEmpty()) {
				synchronized (this.allClosed) {
					this.allClosed.notifyAll();
				}
			}
		}
		return connection;
	}

	/** Whether new connections are taken: not once shutdown has begun. */
	boolean acceptsConnections() {
		return this.accepting;
	}

	/** Runs the clean-up after a closed connection on the closing threads. */
	void closeLater(Runnable close) {
		try {
			this.closer.execute(close);
		}
		catch (RuntimeException ex) {
			// Never inline: the caller may hold a room (a send failed during delivery).
			Thread thread = new Thread(close, "roomkeeper-live-close-late");
			thread.setDaemon(true);
			thread.start();
		}
	}

	private void tick() {
		long now = System.nanoTime();
		for (LiveConnection connection : this.connections.values()) {
			try {
				connection.checkHeartbeat(now);
			}
			catch (RuntimeException ex) {
				log.warn("Heart-beat check failed for a live connection", ex);
			}
		}
	}

	@Override
	public void start() {
		this.accepting = true;
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
				daemonThreads("roomkeeper-live-heartbeat-"));
		scheduler.scheduleWithFixedDelay(this::tick, this.tickMillis, this.tickMillis, TimeUnit.MILLISECONDS);
		this.timer = scheduler;
		this.running = true;
	}

	/**
	 * Stops taking connections and tells every connection that the server is restarting
	 * ({@link LiveConnection#restarting()}: an ERROR frame {@code server-restarting},
	 * then {@code 1012 service restart}); connections that have not closed after
	 * {@value #NOTICE_WAIT_MILLIS} ms (a client that stopped reading cannot take the
	 * notice) are cut without it. Waits up to {@value #SHUTDOWN_WAIT_MILLIS} ms in all. A
	 * later {@link #start()} takes connections again.
	 */
	@Override
	public void stop() {
		this.accepting = false;
		this.running = false;
		long started = System.nanoTime();
		int open = this.connections.size();
		try {
			for (LiveConnection connection : this.connections.values()) {
				connection.restarting();
			}
			// The timer keeps running meanwhile: it cuts clients that do not answer the
			// close.
			awaitAllClosed(started, NOTICE_WAIT_MILLIS);
			int withoutNotice = this.connections.size();
			for (LiveConnection connection : this.connections.values()) {
				connection.abort();
			}
			awaitAllClosed(started, SHUTDOWN_WAIT_MILLIS);
			if (open > 0) {
				log.info(LogLine.of("live-connections-closed")
					.with("connections", open)
					.with("notified", open - withoutNotice)
					.with("stillOpen", this.connections.size())
					.with("millis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
			}
		}
		finally {
			if (this.timer != null) {
				this.timer.shutdownNow();
			}
		}
	}

	private void awaitAllClosed(long started, long waitMillis) {
		long deadline = started + TimeUnit.MILLISECONDS.toNanos(waitMillis);
		synchronized (this.allClosed) {
			long remaining;
			while (!this.connections.isEmpty() && (remaining = deadline - System.nanoTime()) > 0) {
				try {
					TimeUnit.NANOSECONDS.timedWait(this.allClosed, remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	@Override
	public void destroy() {
		this.closer.shutdown();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Stops before the web server's graceful shutdown and long before the store. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE;
	}

	private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
		AtomicInteger counter = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
