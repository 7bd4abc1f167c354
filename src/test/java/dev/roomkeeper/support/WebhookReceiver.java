package dev.roomkeeper.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A webhook receiver on a random port (the JDK's HttpServer) that verifies every
 * signature with its own HMAC-SHA256 (javax.crypto, independent of the signing library),
 * answers with the status its policy picks, and records every attempt and every delivery
 * (first 2xx per {@code webhook-id}).
 */
public final class WebhookReceiver implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpServer server;

	private final byte[] key;

	private final List<Attempt> attempts = new ArrayList<>();

	private final Map<String, Attempt> delivered = new LinkedHashMap<>();

	private final Map<String, AtomicInteger> attemptsById = new ConcurrentHashMap<>();

	private volatile Policy policy = (id, attempt) -> 204;

	private volatile Consumer<Attempt> inspector = (attempt) -> {
	};

	public WebhookReceiver(String secret) throws IOException {
		this(secret, 0);
	}

	public WebhookReceiver(String secret, int port) throws IOException {
		this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 200);
		this.server.setExecutor(Executors.newFixedThreadPool(4));
		this.server.createContext("/hooks", (exchange) -> {
			byte[] body = exchange.getRequestBody().readAllBytes();
			String id = exchange.getRequestHeaders().getFirst("webhook-id");
			String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
			String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
			String text = new String(body, StandardCharsets.UTF_8);
			boolean valid = verify(id, timestamp, text, signature);
			int attempt = this.attemptsById.computeIfAbsent(String.valueOf(id), (k) -> new AtomicInteger())
				.incrementAndGet();
			int status = valid ? this.policy.status(id, attempt) : 400;
			Attempt record = new Attempt(id, timestamp, valid, JSON.readTree(text), status);
			if (valid) {
				this.inspector.accept(record);
			}
			synchronized (this) {
				this.attempts.add(record);
				if (status / 100 == 2) {
					this.delivered.putIfAbsent(id, record);
				}
			}
			exchange.sendResponseHeaders(status, -1);
			exchange.close();
		});
		this.server.start();
	}

	/**
	 * Standard Webhooks: {@code v1,} + base64 HMAC-SHA256 of {@code id.timestamp.body}.
	 */
	private boolean verify(String id, String timestamp, String body, String signature) {
		if (id == null || timestamp == null || signature == null) {
			return false;
		}
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(this.key, "HmacSHA256"));
			byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
			for (String part : signature.split(" ")) {
				if (part.startsWith("v1,")
						&& MessageDigest.isEqual(Base64.getDecoder().decode(part.substring(3)), expected)) {
					return true;
				}
			}
			return false;
		}
		catch (Exception ex) {
			return false;
		}
	}

	public String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/hooks";
	}

	public int port() {
		return this.server.getAddress().getPort();
	}

	public void answer(Policy policy) {
		this.policy = policy;
	}

	/** Fails the first {@code n} attempts of every webhook with 500. */
	public void failFirst(int n) {
		answer((id, attempt) -> (attempt <= n) ? 500 : 204);
	}

	/**
	 * Runs {@code inspector} on every attempt with a valid signature, on the receiving
	 * thread, before its answer is sent: what it sees is what the receiver's app would
	 * see when the webhook arrives.
	 */
	public void inspect(Consumer<Attempt> inspector) {
		this.inspector = inspector;
	}

	public void answerAlways(IntSupplier status) {
		answer((id, attempt) -> status.getAsInt());
	}

	public synchronized List<Attempt> attempts() {
		return List.copyOf(this.attempts);
	}

	/** The first 2xx attempt of each webhook-id, in arrival order. */
	public synchronized List<Attempt> delivered() {
		return List.copyOf(this.delivered.values());
	}

	/** 2xx answers beyond the first per webhook-id (deliveries of a webhook again). */
	public synchronized long duplicateDeliveries() {
		return this.attempts.stream().filter((attempt) -> attempt.status() / 100 == 2).count() - this.delivered.size();
	}

	public int attemptsOf(String id) {
		AtomicInteger count = this.attemptsById.get(id);
		return (count != null) ? count.get() : 0;
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	/** What status to answer to the {@code attempt}th attempt of webhook {@code id}. */
	@FunctionalInterface
	public interface Policy {

		int status(String id, int attempt);

	}

	/** One POST as received. */
	public record Attempt(String id, String timestamp, boolean signatureValid, JsonNode body, int status) {

		public String type() {
			return this.body.get("type").asString();
		}

		public String room() {
			return this.body.get("data").get("room").asString();
		}

		public long seq() {
			return this.body.get("data").get("seq").asLong();
		}

	}

}
