package dev.roomkeeper.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver for the benchmarks: the JDK's {@code HttpServer} on
 * {@code 127.0.0.1:<port>}, handling every request on its one dispatcher thread (the
 * cheapest the JDK offers, so it keeps up with one server core from another core). Every
 * POST to {@code /hooks} gets the current status (204 unless set otherwise) when its
 * Standard Webhooks signature is valid, 400 when it is not. It counts what it received,
 * what it answered 2xx, the distinct {@code webhook-id}s among those (so a webhook sent
 * again is seen), the types, and the wall-clock times of the first and last 2xx answer.
 * <p>
 * Control, over HTTP: {@code POST /status/503} (any status) changes the answer,
 * {@code GET /stats} reports one line of {@code key=value} pairs
 * ({@code received delivered unique invalid firstMillis lastMillis} and {@code type.*}).
 * <p>
 * Run as its own process ({@code bench/live.sh} with {@code BENCH_WEBHOOKS=1},
 * {@code bench/webhooks.sh}), pinned to another core than the server:
 *
 * <pre>
 * java -cp target/test-classes dev.roomkeeper.bench.LocalWebhookReceiver PORT whsec_SECRET
 * </pre>
 *
 * It stops on SIGTERM, printing its stats.
 */
public final class LocalWebhookReceiver implements AutoCloseable {

	private final HttpServer server;

	private final byte[] key;

	private final LongAdder received = new LongAdder();

	private final LongAdder delivered = new LongAdder();

	private final LongAdder invalid = new LongAdder();

	private final Set<String> ids = ConcurrentHashMap.newKeySet();

	private final Map<String, LongAdder> types = new ConcurrentHashMap<>();

	private final AtomicLong firstMillis = new AtomicLong();

	private final AtomicLong lastMillis = new AtomicLong();

	private volatile int status = 204;

	private LocalWebhookReceiver(int port, String secret) throws IOException {
		this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
		this.server.createContext("/hooks", this::hook);
		this.server.createContext("/status/", this::setStatus);
		this.server.createContext("/stats", (exchange) -> answer(exchange, 200, stats()));
		this.server.start();
	}

	/** Starts a receiver on {@code port} (0: any free port) checking {@code secret}. */
	public static LocalWebhookReceiver start(int port, String secret) throws IOException {
		return new LocalWebhookReceiver(port, secret);
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 2) {
			System.err.println("usage: LocalWebhookReceiver PORT whsec_SECRET");
			System.exit(2);
		}
		LocalWebhookReceiver receiver = start(Integer.parseInt(args[0]), args[1]);
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			System.out.println("webhook receiver: " + receiver.stats());
			receiver.close();
			stopped.countDown();
		}));
		System.out.println("webhook receiver listening on " + receiver.url());
		stopped.await();
	}

	/** Where to POST webhooks. */
	public String url() {
		return base() + "/hooks";
	}

	/** The receiver's base URL (its control endpoints are under it). */
	public String base() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/** Answers later webhooks with {@code status}. */
	public void status(int status) {
		this.status = status;
	}

	/** What {@code GET /stats} answers. */
	public String stats() {
		StringBuilder line = new StringBuilder();
		line.append("received=").append(this.received.sum());
		line.append(" delivered=").append(this.delivered.sum());
		line.append(" unique=").append(this.ids.size());
		line.append(" invalid=").append(this.invalid.sum());
		line.append(" firstMillis=").append(this.firstMillis.get());
		line.append(" lastMillis=").append(this.lastMillis.get());
		new TreeMap<>(this.types)
			.forEach((type, count) -> line.append(" type.").append(type).append('=').append(count));
		return line.toString();
	}

	private void hook(HttpExchange exchange) throws IOException {
		byte[] body = exchange.getRequestBody().readAllBytes();
		this.received.increment();
		String id = exchange.getRequestHeaders().getFirst("webhook-id");
		String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
		String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
		int answer = this.status;
		if (!valid(id, timestamp, body, signature)) {
			this.invalid.increment();
			answer = 400;
		}
		else if (answer / 100 == 2) {
			long now = System.currentTimeMillis();
			this.firstMillis.compareAndSet(0, now);
			this.lastMillis.set(now);
			this.delivered.increment();
			this.ids.add(id);
			this.types.computeIfAbsent(typeOf(body), (type) -> new LongAdder()).increment();
		}
		exchange.sendResponseHeaders(answer, -1);
		exchange.close();
	}

	private void setStatus(HttpExchange exchange) throws IOException {
		String path = exchange.getRequestURI().getPath();
		try {
			this.status = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
			answer(exchange, 200, "status=" + this.status);
		}
		catch (NumberFormatException ex) {
			answer(exchange, 400, "not a status: " + path);
		}
	}

	/**
	 * Standard Webhooks: {@code v1,} + base64 HMAC-SHA256 of {@code id.timestamp.body}.
	 */
	private boolean valid(String id, String timestamp, byte[] body, String signature) {
		if (id == null || timestamp == null || signature == null) {
			return false;
		}
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(this.key, "HmacSHA256"));
			mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
			byte[] expected = mac.doFinal(body);
			for (String part : signature.split(" ")) {
				if (part.startsWith("v1,")
						&& MessageDigest.isEqual(Base64.getDecoder().decode(part.substring(3)), expected)) {
					return true;
				}
			}
			return false;
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			return false;
		}
	}

	/** The {@code type} of a body {@code {"type":"…",…}} without parsing all of it. */
	private static String typeOf(byte[] body) {
		String head = new String(body, 0, Math.min(body.length, 64), StandardCharsets.UTF_8);
		int start = head.indexOf("\"type\":\"");
		int end = (start < 0) ? -1 : head.indexOf('"', start + 8);
		return (end < 0) ? "unknown" : head.substring(start + 8, end);
	}

	private static void answer(HttpExchange exchange, int status, String text) throws IOException {
		byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "text/plain");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
