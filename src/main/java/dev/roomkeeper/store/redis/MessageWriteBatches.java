package dev.roomkeeper.store.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends messages' writes ({@code write-activities.lua}) to Redis, several rooms' in one
 * call. The first message waits up to the delay ({@code rooms.store.redis.message-delay})
 * for others to go with it; while a call is under way, the messages that come in wait,
 * and go together in the next call as soon as it is answered. Each call costs Redis a
 * script run, a reply and a publication on the events channel (whose events go in one
 * channel message), whatever it holds, and this instance one write, one answer and one
 * channel message: that cost per call, not the work per message, is most of what Redis
 * and the instances spend on messages. With no delay, a quiet instance sends each message
 * alone at once and only a busy one sends larger calls. At most {@value #MAX_MESSAGES}
 * messages go in one call (a script holds Redis while it runs). Each message has its own
 * compare-and-set, so one message turned down does not affect the others.
 * <p>
 * Messages of one room are never in the same call: the repository holds the room until
 * its message is answered.
 */
final class MessageWriteBatches {

	static final int MAX_MESSAGES = 64;

	private final List<String> firstArguments;

	private final Sender sender;

	private final long delayNanos;

	/** Sends the first call after the delay; null without a delay. */
	private final ScheduledExecutorService delayed;

	private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();

	/** Whether a call is under way; guarded by {@link #waiting}. */
	private boolean sending;

	/**
	 * @param firstArguments the script's arguments before the number of messages (the
	 * events channel, the history size)
	 * @param sender runs the script with one call's keys and arguments
	 */
	MessageWriteBatches(List<String> firstArguments, Sender sender) {
		this(firstArguments, sender, Duration.ZERO);
	}

	/**
	 * @param firstArguments the script's arguments before the number of messages (the
	 * events channel, the history size)
	 * @param sender runs the script with one call's keys and arguments
	 * @param delay how long a message that finds no call under way waits for others
	 */
	MessageWriteBatches(List<String> firstArguments, Sender sender, Duration delay) {
		this.firstArguments = List.copyOf(firstArguments);
		this.sender = sender;
		this.delayNanos = delay.toNanos();
		this.delayed = (this.delayNanos > 0) ? Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "roomkeeper-redis-message-delay");
			thread.setDaemon(true);
			return thread;
		}) : null;
	}

	/**
	 * Sends a message's write (its keys and arguments, as {@code write-message.lua} lays
	 * them out) after the delay, or with the next call if one is under way or waiting.
	 * @return the message's answer, completed on the thread that reads Redis's answers:
	 * the script's answer for this message, byte strings as strings; failed if the call
	 * failed (it may have run)
	 */
	CompletableFuture<List<?>> send(List<String> keys, List<String> args) {
		Waiting message = new Waiting(keys, args, new CompletableFuture<>());
		List<Waiting> call;
		synchronized (this.waiting) {
			this.waiting.add(message);
			if (this.sending) {
				return message.answer();
			}
			this.sending = true;
			if (this.delayed != null) {
				try {
					this.delayed.schedule(this::sendWaiting, this.delayNanos, TimeUnit.NANOSECONDS);
					return message.answer();
				}
				catch (RejectedExecutionException ex) {
					// Closed: no more waiting.
				}
			}
			call = next();
		}
		send(call);
		return message.answer();
	}

	/** Stops the delay's thread; messages that come later are sent at once. */
	void close() {
		if (this.delayed != null) {
			this.delayed.shutdown();
		}
	}

	private void sendWaiting() {
		List<Waiting> call;
		synchronized (this.waiting) {
			call = next();
		}
		send(call);
	}

	/** Messages waiting now, up to the limit of one call; the caller holds the lock. */
	private List<Waiting> next() {
		List<Waiting> call = new ArrayList<>(Math.min(this.waiting.size(), MAX_MESSAGES));
		while (call.size() < MAX_MESSAGES && !this.waiting.isEmpty()) {
			call.add(this.waiting.poll());
		}
		return call;
	}

	private void send(List<Waiting> call) {
		List<byte[]> keys = new ArrayList<>();
		List<byte[]> args = new ArrayList<>();
		this.firstArguments.forEach((arg) -> args.add(bytes(arg)));
		args.add(bytes(Integer.toString(call.size())));
		for (Waiting message : call) {
			message.keys().forEach((key) -> keys.add(bytes(key)));
			message.args().forEach((arg) -> args.add(bytes(arg)));
		}
		CompletionStage<List<Object>> answers;
		try {
			answers = this.sender.send(keys.toArray(byte[][]::new), args.toArray(byte[][]::new));
		}
		catch (RuntimeException ex) {
			answers = CompletableFuture.failedFuture(ex);
		}
		answers.whenComplete((answered, failure) -> {
			answer(call, answered, failure);
			List<Waiting> following;
			synchronized (this.waiting) {
				if (this.waiting.isEmpty()) {
					this.sending = false;
					return;
				}
				following = next();
			}
			send(following);
		});
	}

	private static void answer(List<Waiting> call, List<Object> answers, Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		for (int i = 0; i < call.size(); i++) {
			CompletableFuture<List<?>> answer = call.get(i).answer();
			if (cause != null) {
				answer.completeExceptionally(cause);
			}
			else if (answers == null || i >= answers.size() || !(answers.get(i) instanceof List<?> one)) {
				answer.completeExceptionally(new IllegalStateException("Redis answered " + answers + " to "
						+ call.size() + " messages: the script write-activities.lua is not the one loaded"));
			}
			else {
				answer.complete(decoded(one));
			}
		}
	}

	/** A message's answer as the template decodes it: byte strings as strings. */
	private static List<?> decoded(List<?> answer) {
		List<Object> decoded = new ArrayList<>(answer.size());
		for (Object value : answer) {
			decoded.add((value instanceof byte[] text) ? new String(text, StandardCharsets.UTF_8) : value);
		}
		return decoded;
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	/** Sends one call of {@code write-activities.lua}. */
	@FunctionalInterface
	interface Sender {

		/** Runs the script with these keys and arguments. */
		CompletionStage<List<Object>> send(byte[][] keys, byte[][] args);

	}

	private record Waiting(List<String> keys, List<String> args, CompletableFuture<List<?>> answer) {
	}

}
