package dev.roomkeeper.webhook;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import com.standardwebhooks.Webhook;

/**
 * The configured endpoints, checked at start-up (a bad one stops start-up naming the
 * property). Each has a short {@code key} (from its URL) by which a room's outbox records
 * where a webhook still has to go.
 */
final class WebhookEndpoints {

	/** Every event type; {@code room.state} is sent only when listed explicitly. */
	static final Set<String> TYPES = Set.of("room.created", "room.closed", "room.warning", "member.joined",
			"member.removed", "member.connected", "member.disconnected", "room.settings", "room.state");

	private final List<Endpoint> endpoints;

	WebhookEndpoints(WebhookProperties properties) {
		List<Endpoint> list = new ArrayList<>();
		int i = 0;
		for (WebhookProperties.Endpoint configured : properties.getEndpoints()) {
			String prefix = "rooms.webhooks.endpoints[" + i + "]";
			URI uri;
			try {
				uri = URI.create(configured.getUrl());
			}
			catch (RuntimeException ex) {
				throw new IllegalStateException(prefix + ".url is not a URL");
			}
			if (configured.getUrl() == null || uri.getScheme() == null
					|| !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
				throw new IllegalStateException(prefix + ".url must be an http or https URL");
			}
			String secret = configured.getSecret();
			if (secret == null || !secret.startsWith("whsec_")) {
				throw new IllegalStateException(prefix + ".secret must be whsec_ followed by base64");
			}
			try {
				if (Base64.getDecoder().decode(secret.substring(6)).length < 16) {
					throw new IllegalStateException(prefix + ".secret must hold at least 16 bytes");
				}
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException(prefix + ".secret must be whsec_ followed by base64");
			}
			for (String event : configured.getEvents()) {
				if (!TYPES.contains(event)) {
					throw new IllegalStateException(prefix + ".events: unknown event type " + event);
				}
			}
			Set<String> events = configured.getEvents().isEmpty() ? Set.of() : Set.copyOf(configured.getEvents());
			list.add(
					new Endpoint(keyOf(configured.getUrl(), i), configured.getUrl(), uri, new Webhook(secret), events));
			i++;
		}
		this.endpoints = List.copyOf(list);
	}

	boolean enabled() {
		return !this.endpoints.isEmpty();
	}

	List<Endpoint> all() {
		return this.endpoints;
	}

	Endpoint byKey(String key) {
		for (Endpoint endpoint : this.endpoints) {
			if (endpoint.key().equals(key)) {
				return endpoint;
			}
		}
		return null;
	}

	/** The keys of the endpoints that want an event type. */
	List<String> keysFor(String type) {
		List<String> keys = new ArrayList<>();
		for (Endpoint endpoint : this.endpoints) {
			if (endpoint.wants(type)) {
				keys.add(endpoint.key());
			}
		}
		return keys;
	}

	private static String keyOf(String url, int index) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(hash, 0, 4);
		}
		catch (NoSuchAlgorithmException ex) {
			return "e" + index;
		}
	}

	/**
	 * One endpoint.
	 *
	 * @param key short id, stored in outboxes and part of every {@code webhook-id}
	 * @param events the event types it wants (empty: all but {@code room.state})
	 */
	record Endpoint(String key, String url, URI uri, Webhook signer, Set<String> events) {

		/**
		 * HTTP/1.1 for plain {@code http} (kept-alive connections, no HTTP/2 upgrade
		 * attempt); for {@code https} the TLS handshake settles it (HTTP/2 if offered).
		 */
		HttpClient.Version version() {
			return this.uri.getScheme().equals("http") ? HttpClient.Version.HTTP_1_1 : HttpClient.Version.HTTP_2;
		}

		boolean wants(String type) {
			return this.events.isEmpty() ? !type.equals("room.state") : this.events.contains(type);
		}

	}

}
