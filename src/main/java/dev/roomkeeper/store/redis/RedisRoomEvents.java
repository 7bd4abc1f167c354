package dev.roomkeeper.store.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;

import dev.roomkeeper.room.event.PublishedEvent;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.room.event.RoomTopicEvent;
import dev.roomkeeper.system.LogLine;

/**
 * Carries room events between instances over one Redis pub/sub channel.
 * <p>
 * An event is serialised once, on the instance that raised it, and published (by the same
 * script that stores the change) as five header lines, {@code origin}, {@code id},
 * {@code room}, {@code seq}, {@code type}, then the event's JSON: receivers read the
 * headers and pass the JSON on untouched. A channel message holds one such event, or
 * several (the events of one script run, which may write several rooms' messages):
 * {@code *} and their number on the first line, then each event's length in UTF-8 bytes
 * on a line of its own, followed by the event.
 * <p>
 * Every instance, the origin included, hands the events to its {@link RoomEventBus} in
 * the order the channel delivers them, which is the order the writes happened in Redis,
 * so each room's events reach listeners in seq order whichever instance raised them. The
 * origin recognises its own messages and delivers the {@link PublishedEvent} it encoded
 * (with the event object); other instances deliver one with {@code event == null}. Each
 * event is delivered once per instance. Listeners get the messages in channel order, on
 * the thread that reads them from the connection: they must not block (room event
 * listeners never do; the local stores call them with the room held).
 */
final class RedisRoomEvents implements MessageListener {

	private static final Log log = LogFactory.getLog(RedisRoomEvents.class);

	private static final ThreadLocal<Boolean> DISPATCHING = ThreadLocal.withInitial(() -> false);

	private final String instanceId = UUID.randomUUID().toString();

	private final AtomicLong ids = new AtomicLong();

	private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();

	private final RoomEventBus eventBus;

	private final Duration deliveryTimeout;

	private final RoomNews news;

	/**
	 * @param eventBus this instance's bus
	 * @param deliveryTimeout how long {@link Outgoing#awaitDelivery} waits
	 * @param news told of rooms closed and of rooms other instances wrote
	 */
	RedisRoomEvents(RoomEventBus eventBus, Duration deliveryTimeout, RoomNews news) {
		this.eventBus = eventBus;
		this.deliveryTimeout = deliveryTimeout;
		this.news = news;
	}

	/**
	 * Encodes a change's events as channel messages, and remembers them so that their
	 * return through the channel is recognised. {@link Outgoing#cancel} forgets them if
	 * the change is not written.
	 */
	Outgoing prepare(List<RoomTopicEvent> events) {
		if (events.isEmpty()) {
			return Outgoing.NONE;
		}
		List<String> messages = new ArrayList<>(events.size());
		List<String> historyEntries = new ArrayList<>(events.size());
		List<Long> ids = new ArrayList<>(events.size());
		CompletableFuture<Void> last = null;
		for (RoomTopicEvent event : events) {
			PublishedEvent published = this.eventBus.encode(event);
			long id = this.ids.incrementAndGet();
			last = new CompletableFuture<>();
			this.pending.put(id, new Pending(published, last));
			ids.add(id);
			messages.add(message(id, published));
			historyEntries.add(historyEntry(published));
		}
		return new Outgoing(this, messages, historyEntries, ids, last);
	}

	/** An event as an entry of a room's history list: {@code seq json}. */
	static String historyEntry(PublishedEvent event) {
		return event.seq() + " " + event.json();
	}

	private String message(long id, PublishedEvent event) {
		return this.instanceId + '\n' + id + '\n' + event.room() + '\n' + event.seq() + '\n' + event.type() + '\n'
				+ event.json();
	}

	@Override
	public void onMessage(Message message, byte[] pattern) {
		DISPATCHING.set(true);
		try {
			byte[] body = message.getBody();
			if (body.length > 0 && body[0] == '*') {
				deliverEach(body);
			}
			else {
				deliver(new String(body, StandardCharsets.UTF_8));
			}
		}
		catch (RuntimeException ex) {
			log.warn(LogLine.of("events-message-malformed").with("error", ex.getMessage()));
		}
		finally {
			DISPATCHING.set(false);
		}
	}

	/** Delivers the events of a message that holds several, in order. */
	private void deliverEach(byte[] body) {
		int lineEnd = lineEnd(body, 1);
		int count = Integer.parseInt(new String(body, 1, lineEnd - 1, StandardCharsets.US_ASCII));
		int from = lineEnd + 1;
		for (int i = 0; i < count; i++) {
			lineEnd = lineEnd(body, from);
			int length = Integer.parseInt(new String(body, from, lineEnd - from, StandardCharsets.US_ASCII));
			from = lineEnd + 1;
			if (length < 0 || length > body.length - from) {
				throw new IllegalArgumentException("event " + (i + 1) + " of " + count + " is cut short");
			}
			try {
				deliver(new String(body, from, length, StandardCharsets.UTF_8));
			}
			catch (RuntimeException ex) {
				// One bad event does not cost the others of the message.
				log.warn(LogLine.of("events-message-malformed").with("error", ex.getMessage()));
			}
			from += length;
		}
	}

	private static int lineEnd(byte[] body, int from) {
		for (int i = from; i < body.length; i++) {
			if (body[i] == '\n') {
				return i;
			}
		}
		throw new IllegalArgumentException("missing the length of an event");
	}

	private void deliver(String message) {
		int[] ends = new int[5];
		int from = 0;
		for (int i = 0; i < ends.length; i++) {
			ends[i] = message.indexOf('\n', from);
			if (ends[i] < 0) {
				throw new IllegalArgumentException("missing header line " + (i + 1));
			}
			from = ends[i] + 1;
		}
		if (message.regionMatches(0, this.instanceId, 0, ends[0]) && ends[0] == this.instanceId.length()) {
			Pending own = this.pending.remove(Long.parseLong(message.substring(ends[0] + 1, ends[1])));
			if (own != null) {
				publish(own.event());
				own.delivered().complete(null);
				return;
			}
		}
		String room = message.substring(ends[1] + 1, ends[2]);
		long seq = Long.parseLong(message.substring(ends[2] + 1, ends[3]));
		String type = message.substring(ends[3] + 1, ends[4]);
		this.news.writtenElsewhere(room, seq);
		publish(new PublishedEvent(room, seq, type, message.substring(ends[4] + 1), null));
	}

	private void publish(PublishedEvent event) {
		if (event.isClosed()) {
			this.news.closed(event.room());
		}
		this.eventBus.publish(event);
	}

	/** What the channel tells the repository about rooms it may hold a copy of. */
	interface RoomNews {

		/** The room was closed, on any instance. */
		void closed(String room);

		/**
		 * Another instance wrote the room: its seq is now at least {@code seq}. Called
		 * before the event is handed to the listeners, in channel order.
		 */
		void writtenElsewhere(String room, long seq);

	}

	/** Events of one change on their way through the channel. */
	static final class Outgoing {

		static final Outgoing NONE = new Outgoing(null, List.of(), List.of(), List.of(), null);

		private final RedisRoomEvents events;

		private final List<String> messages;

		private final List<String> historyEntries;

		private final List<Long> ids;

		private final CompletableFuture<Void> last;

		private Outgoing(RedisRoomEvents events, List<String> messages, List<String> historyEntries, List<Long> ids,
				CompletableFuture<Void> last) {
			this.events = events;
			this.messages = messages;
			this.historyEntries = historyEntries;
			this.ids = ids;
			this.last = last;
		}

		/** The channel messages, in seq order. */
		List<String> messages() {
			return this.messages;
		}

		/** The entries of the room's history list, in seq order. */
		List<String> historyEntries() {
			return this.historyEntries;
		}

		/** Forgets events that were not published (the write did not happen). */
		void cancel() {
			for (Long id : this.ids) {
				this.events.pending.remove(id);
			}
		}

		/**
		 * Waits until this instance's listeners have the events. Does not wait when
		 * called from a listener (which would wait for itself); gives up, with a warning,
		 * when the channel does not deliver in time (Redis unreachable): the events were
		 * published all the same, and clients that see a gap in seq ask for a snapshot.
		 */
		void awaitDelivery() {
			if (this.last == null || DISPATCHING.get()) {
				return;
			}
			try {
				this.last.get(this.events.deliveryTimeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (TimeoutException ex) {
				cancel();
				log.warn(LogLine.of("events-delivery-late")
					.with("waitedMillis", this.events.deliveryTimeout.toMillis()));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException ex) {
				throw new IllegalStateException(ex.getCause());
			}
		}

	}

	private record Pending(PublishedEvent event, CompletableFuture<Void> delivered) {
	}

}
