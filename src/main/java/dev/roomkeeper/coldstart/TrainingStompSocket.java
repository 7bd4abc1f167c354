package dev.roomkeeper.coldstart;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A minimal STOMP 1.2 client over the JDK's WebSocket, for the training run: sends
 * frames, and hands the received ones out one at a time (command line, headers and body
 * as one string each).
 */
final class TrainingStompSocket implements AutoCloseable {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final WebSocket socket;

	private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();

	private final StringBuilder partial = new StringBuilder();

	private TrainingStompSocket(HttpClient http, URI uri) {
		this.socket = http.newWebSocketBuilder()
			.connectTimeout(TIMEOUT)
			.subprotocols("v12.stomp")
			.buildAsync(uri, new Listener())
			.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
			.join();
	}

	/** Opens the socket and sends CONNECT with the member token; waits for CONNECTED. */
	static TrainingStompSocket connect(HttpClient http, URI uri, String token) throws InterruptedException {
		TrainingStompSocket stomp = new TrainingStompSocket(http, uri);
		stomp.send("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\ntoken:" + token + "\n\n");
		stomp.await("CONNECTED");
		return stomp;
	}

	void subscribe(String id, String destination) {
		send("SUBSCRIBE\nid:" + id + "\ndestination:" + destination + "\n\n");
	}

	void send(String destination, String json) {
		send("SEND\ndestination:" + destination + "\ncontent-type:application/json\n\n" + json);
	}

	/** The next frame whose command is {@code command}; other frames are skipped. */
	String await(String command) throws InterruptedException {
		return awaitContaining(command + "\n", "");
	}

	/** The next frame that starts with {@code start} and contains {@code text}. */
	String awaitContaining(String start, String text) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (true) {
			String frame = this.frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
			if (frame == null) {
				throw new IllegalStateException("No " + start.trim() + " frame with " + text + " within " + TIMEOUT);
			}
			if (frame.startsWith("ERROR")) {
				throw new IllegalStateException("STOMP error: " + frame);
			}
			if (frame.startsWith(start) && frame.contains(text)) {
				return frame;
			}
		}
	}

	private void send(String frame) {
		this.socket.sendText(frame + "\0", true).orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
	}

	@Override
	public void close() {
		try {
			send("DISCONNECT\n\n");
			this.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RuntimeException ex) {
			this.socket.abort();
		}
	}

	private final class Listener implements WebSocket.Listener {

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			TrainingStompSocket.this.partial.append(data);
			int end;
			while ((end = TrainingStompSocket.this.partial.indexOf("\0")) >= 0) {
				String frame = TrainingStompSocket.this.partial.substring(0, end).stripLeading();
				TrainingStompSocket.this.partial.delete(0, end + 1);
				if (!frame.isEmpty()) {
					TrainingStompSocket.this.frames.add(frame);
				}
			}
			webSocket.request(1);
			return null;
		}

	}

}
