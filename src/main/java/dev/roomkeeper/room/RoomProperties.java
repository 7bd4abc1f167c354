package dev.roomkeeper.room;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Every {@code rooms.*} setting of the contract, with its default. Bound from
 * {@code application.properties} or environment variables ({@code ROOMS_STORE_TYPE},
 * ...).
 */
@ConfigurationProperties("rooms")
public class RoomProperties {

	/** Close a room after this long without activity. */
	private Duration idleTimeout = Duration.ofHours(24);

	/** Send one {@code warning} event this long before an idle room closes. */
	private Duration warningBefore = Duration.ofMinutes(10);

	/** How often the sweeper looks for rooms to warn or close. */
	private Duration sweepInterval = Duration.ofSeconds(30);

	/**
	 * Whether the sweeper runs on a schedule (switch off in tests that drive it by hand).
	 */
	private boolean sweepEnabled = true;

	/** Close a room when its last member leaves. */
	private boolean deleteWhenEmpty = false;

	/**
	 * The most open rooms; creating one more evicts the least recently active idle room.
	 */
	private int maxRooms = 10_000;

	/** The default {@code maxMembers} of a new room (a room may ask for up to 1000). */
	private int maxMembers = 16;

	/** Length of generated room codes. */
	private int codeLength = 6;

	/** Base of {@code joinUrl}; when unset, the scheme, host and port of the request. */
	private String publicUrl;

	/** Bearer token of the admin API; when unset the admin API answers 404. */
	private String adminToken;

	/** Origins allowed to open the WebSocket; empty means same origin only. */
	private List<String> allowedOrigins = new ArrayList<>();

	private final Store store = new Store();

	private final Presence presence = new Presence();

	private final Limits limits = new Limits();

	private final Live live = new Live();

	/**
	 * Secrets that act as the server in every room ({@code Authorization: Bearer <key>}),
	 * each at least 32 characters; empty: no server key.
	 */
	private List<String> serverKeys = new ArrayList<>();

	private final Tickets tickets = new Tickets();

	public List<String> getServerKeys() {
		return this.serverKeys;
	}

	public void setServerKeys(List<String> serverKeys) {
		this.serverKeys = serverKeys;
	}

	public Tickets getTickets() {
		return this.tickets;
	}

	/** Join tickets: JWTs signed with HS256 by the app's backend. */
	public static class Tickets {

		/**
		 * HMAC secrets that may sign a ticket (at least 32 bytes each; several allow
		 * rotation); empty: tickets are refused.
		 */
		private List<String> secrets = new ArrayList<>();

		public List<String> getSecrets() {
			return this.secrets;
		}

		public void setSecrets(List<String> secrets) {
			this.secrets = secrets;
		}

	}

	private final History history = new History();

	public Duration getIdleTimeout() {
		return this.idleTimeout;
	}

	public void setIdleTimeout(Duration idleTimeout) {
		this.idleTimeout = idleTimeout;
	}

	public Duration getWarningBefore() {
		return this.warningBefore;
	}

	public void setWarningBefore(Duration warningBefore) {
		this.warningBefore = warningBefore;
	}

	public Duration getSweepInterval() {
		return this.sweepInterval;
	}

	public void setSweepInterval(Duration sweepInterval) {
		this.sweepInterval = sweepInterval;
	}

	public boolean isSweepEnabled() {
		return this.sweepEnabled;
	}

	public void setSweepEnabled(boolean sweepEnabled) {
		this.sweepEnabled = sweepEnabled;
	}

	public boolean isDeleteWhenEmpty() {
		return this.deleteWhenEmpty;
	}

	public void setDeleteWhenEmpty(boolean deleteWhenEmpty) {
		this.deleteWhenEmpty = deleteWhenEmpty;
	}

	public int getMaxRooms() {
		return this.maxRooms;
	}

	public void setMaxRooms(int maxRooms) {
		this.maxRooms = maxRooms;
	}

	public int getMaxMembers() {
		return this.maxMembers;
	}

	public void setMaxMembers(int maxMembers) {
		this.maxMembers = maxMembers;
	}

	public int getCodeLength() {
		return this.codeLength;
	}

	public void setCodeLength(int codeLength) {
		this.codeLength = codeLength;
	}

	public String getPublicUrl() {
		return this.publicUrl;
	}

	public void setPublicUrl(String publicUrl) {
		this.publicUrl = publicUrl;
	}

	public String getAdminToken() {
		return this.adminToken;
	}

	public void setAdminToken(String adminToken) {
		this.adminToken = adminToken;
	}

	public List<String> getAllowedOrigins() {
		return this.allowedOrigins;
	}

	public void setAllowedOrigins(List<String> allowedOrigins) {
		this.allowedOrigins = allowedOrigins;
	}

	public Store getStore() {
		return this.store;
	}

	public Presence getPresence() {
		return this.presence;
	}

	public Limits getLimits() {
		return this.limits;
	}

	public History getHistory() {
		return this.history;
	}

	public Live getLive() {
		return this.live;
	}

	/** {@code rooms.store.*}: where rooms are kept. */
	public static class Store {

		/** {@code file} (default), {@code memory} or {@code redis}. */
		private String type = "file";

		/** Directory of the file store: one JSON file per room. */
		private String dir = "./data/rooms";

		/** Live (STOMP) changes reach the store within this interval. */
		private Duration flushInterval = Duration.ofSeconds(1);

		/**
		 * Longest time a change that only records activity (a broadcast, a keep-alive)
		 * waits to be stored by the file store; never shorter than the flush interval.
		 */
		private Duration activityFlushInterval = Duration.ofSeconds(1);

		/**
		 * File store: how often rooms changed since the last checkpoint are written to
		 * their room files (and the journal they cover is dropped).
		 */
		private Duration checkpointInterval = Duration.ofSeconds(30);

		private final Redis redis = new Redis();

		public String getType() {
			return this.type;
		}

		public void setType(String type) {
			this.type = type;
		}

		public String getDir() {
			return this.dir;
		}

		public void setDir(String dir) {
			this.dir = dir;
		}

		public Duration getActivityFlushInterval() {
			return this.activityFlushInterval;
		}

		public void setActivityFlushInterval(Duration activityFlushInterval) {
			this.activityFlushInterval = activityFlushInterval;
		}

		public Duration getCheckpointInterval() {
			return this.checkpointInterval;
		}

		public void setCheckpointInterval(Duration checkpointInterval) {
			this.checkpointInterval = checkpointInterval;
		}

		public Duration getFlushInterval() {
			return this.flushInterval;
		}

		public void setFlushInterval(Duration flushInterval) {
			this.flushInterval = flushInterval;
		}

		public Redis getRedis() {
			return this.redis;
		}

	}

	/**
	 * {@code rooms.store.redis.*}: the Redis store (the server is set with
	 * {@code spring.data.redis.url} or {@code REDIS_URL}).
	 */
	public static class Redis {

		/**
		 * Prepended to every key and channel name, so several deployments (or tests) can
		 * share one Redis.
		 */
		private String keyPrefix = "roomkeeper:";

		/**
		 * How long a broadcast written in the background (a live {@code SEND} without a
		 * {@code receipt}) waits for other rooms' messages to go to Redis in the same
		 * call, when no call is under way. Fewer, larger calls cost Redis and the servers
		 * much less per message; zero sends at once (messages still go together while a
		 * call is under way).
		 */
		private Duration messageDelay = Duration.ofMillis(2);

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public Duration getMessageDelay() {
			return this.messageDelay;
		}

		public void setMessageDelay(Duration messageDelay) {
			if (messageDelay.isNegative() || messageDelay.compareTo(Duration.ofMillis(100)) > 0) {
				throw new IllegalArgumentException(
						"rooms.store.redis.message-delay must be between 0 and 100ms, was " + messageDelay);
			}
			this.messageDelay = messageDelay;
		}

	}

	/** {@code rooms.presence.*}. */
	public static class Presence {

		/** A member disconnected for longer than this is removed from its room. */
		private Duration staleAfter = Duration.ofMinutes(5);

		public Duration getStaleAfter() {
			return this.staleAfter;
		}

		public void setStaleAfter(Duration staleAfter) {
			this.staleAfter = staleAfter;
		}

	}

	/** {@code rooms.limits.*}: abuse limits. */
	public static class Limits {

		/** Largest STOMP message body, broadcast, settings or member metadata. */
		private DataSize messageBytes = DataSize.ofBytes(65536);

		/** Largest room state (serialised JSON). */
		private DataSize stateBytes = DataSize.ofBytes(262144);

		/**
		 * Failed look-ups per client address per minute before every join answers 429.
		 */
		private int failedJoinsPerMinute = 20;

		/** SENDs per second per connection (token bucket, burst of the same size). */
		private int messagesPerSecond = 50;

		/**
		 * QR code images ({@code qr.png}, {@code qr.svg}) per client address per minute.
		 */
		private int qrPerMinute = 60;

		/** Open WebSocket connections per client address. */
		private int connectionsPerAddress = 100;

		/**
		 * Outbound data a live connection may have pending (queued or being written)
		 * before it is cut off as a client that stopped reading.
		 */
		private DataSize sendBufferBytes = DataSize.ofMegabytes(1);

		/**
		 * Longest time one write to a live connection may take before the connection is
		 * cut off as a client that stopped reading.
		 */
		private Duration sendTimeLimit = Duration.ofSeconds(10);

		public DataSize getMessageBytes() {
			return this.messageBytes;
		}

		public void setMessageBytes(DataSize messageBytes) {
			this.messageBytes = messageBytes;
		}

		public DataSize getStateBytes() {
			return this.stateBytes;
		}

		public void setStateBytes(DataSize stateBytes) {
			this.stateBytes = stateBytes;
		}

		public int getFailedJoinsPerMinute() {
			return this.failedJoinsPerMinute;
		}

		public void setFailedJoinsPerMinute(int failedJoinsPerMinute) {
			this.failedJoinsPerMinute = failedJoinsPerMinute;
		}

		public int getQrPerMinute() {
			return this.qrPerMinute;
		}

		public void setQrPerMinute(int qrPerMinute) {
			this.qrPerMinute = qrPerMinute;
		}

		public int getMessagesPerSecond() {
			return this.messagesPerSecond;
		}

		public void setMessagesPerSecond(int messagesPerSecond) {
			this.messagesPerSecond = messagesPerSecond;
		}

		public int getConnectionsPerAddress() {
			return this.connectionsPerAddress;
		}

		public void setConnectionsPerAddress(int connectionsPerAddress) {
			this.connectionsPerAddress = connectionsPerAddress;
		}

		public DataSize getSendBufferBytes() {
			return this.sendBufferBytes;
		}

		public void setSendBufferBytes(DataSize sendBufferBytes) {
			this.sendBufferBytes = sendBufferBytes;
		}

		public Duration getSendTimeLimit() {
			return this.sendTimeLimit;
		}

		public void setSendTimeLimit(Duration sendTimeLimit) {
			this.sendTimeLimit = sendTimeLimit;
		}

	}

	/** {@code rooms.live.*}: the STOMP endpoint. */
	public static class Live {

		/**
		 * STOMP heart-beat interval the server offers and expects, both ways (the
		 * CONNECTED frame says {@code heart-beat:N,N}); zero switches heart-beats off.
		 */
		private Duration heartbeat = Duration.ofSeconds(10);

		/**
		 * Whether data arriving on live connections is read and handled on Tomcat's
		 * poller thread instead of being handed to a request thread: {@code auto} (on the
		 * memory store when the JVM sees one processor), {@code on} or {@code off}. Only
		 * the memory store never waits while it handles a message; see
		 * {@code dev.roomkeeper.live.websocket.PollerReads}.
		 */
		private ReadOnPoller readOnPoller = ReadOnPoller.AUTO;

		public Duration getHeartbeat() {
			return this.heartbeat;
		}

		public void setHeartbeat(Duration heartbeat) {
			this.heartbeat = heartbeat;
		}

		public ReadOnPoller getReadOnPoller() {
			return this.readOnPoller;
		}

		public void setReadOnPoller(ReadOnPoller readOnPoller) {
			this.readOnPoller = readOnPoller;
		}

		/** Values of {@code rooms.live.read-on-poller}. */
		public enum ReadOnPoller {

			/**
			 * On for the memory and Redis stores when the JVM sees one processor, else
			 * off.
			 */
			AUTO,

			/**
			 * Always on (on the file store a state change waits for the journal on the
			 * poller).
			 */
			ON,

			/** Always off: every read is handed to a request thread, as Tomcat does. */
			OFF;

			/**
			 * Whether reads run on the poller for this store type and processor count.
			 */
			public boolean appliesTo(String storeType, int processors) {
				return switch (this) {
					case ON -> true;
					case OFF -> false;
					case AUTO -> ("memory".equalsIgnoreCase(storeType) || "redis".equalsIgnoreCase(storeType))
							&& processors == 1;
				};
			}

		}

	}

	/** {@code rooms.history.*}: the recent events each room keeps for recovery. */
	public static class History {

		/**
		 * Room-topic events kept per room ({@code message} included) for missed-event
		 * recovery and {@code GET /api/rooms/{code}/events}; 0 switches history off.
		 */
		private int size = RoomHistory.DEFAULT_SIZE;

		public int getSize() {
			return this.size;
		}

		public void setSize(int size) {
			if (size < 0 || size > 100_000) {
				throw new IllegalArgumentException("rooms.history.size must be between 0 and 100000, was " + size);
			}
			this.size = size;
		}

	}

}
