package dev.roomkeeper.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small real-HTTP client for tests: JSON in, {@link Response} out, bearer tokens
 * optional.
 */
public final class ApiClient {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String baseUrl;

	private final Map<String, String> defaultHeaders = new LinkedHashMap<>();

	public ApiClient(int port) {
		this("http://localhost:" + port);
	}

	public ApiClient(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	/** A client that sends a header with every request (e.g. {@code X-Forwarded-For}). */
	public ApiClient withHeader(String name, String value) {
		ApiClient client = new ApiClient(this.baseUrl);
		client.defaultHeaders.putAll(this.defaultHeaders);
		client.defaultHeaders.put(name, value);
		return client;
	}

	public String baseUrl() {
		return this.baseUrl;
	}

	public Response get(String path) {
		return send("GET", path, null, null);
	}

	public Response get(String path, String token) {
		return send("GET", path, null, token);
	}

	public Response post(String path, Object body) {
		return send("POST", path, body, null);
	}

	public Response post(String path, Object body, String token) {
		return send("POST", path, body, token);
	}

	public Response patch(String path, Object body, String token) {
		return send("PATCH", path, body, token);
	}

	public Response delete(String path, String token) {
		return send("DELETE", path, null, token);
	}

	/** Sends a raw body with a content type, for malformed-input tests. */
	public Response sendRaw(String method, String path, String contentType, String body, String token) {
		HttpRequest.Builder request = request(path, token).method(method, HttpRequest.BodyPublishers.ofString(body));
		request.header("Content-Type", contentType);
		return execute(request.build());
	}

	public Response send(String method, String path, Object body, String token) {
		HttpRequest.Builder request = request(path, token);
		if (body == null) {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		else {
			String json = (body instanceof String text) ? text : JSON.writeValueAsString(body);
			request.header("Content-Type", "application/json");
			request.method(method, HttpRequest.BodyPublishers.ofString(json));
		}
		return execute(request.build());
	}

	private HttpRequest.Builder request(String path, String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.timeout(Duration.ofSeconds(30));
		this.defaultHeaders.forEach(request::header);
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return request;
	}

	private Response execute(HttpRequest request) {
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			String raw = response.body();
			JsonNode json = (raw == null || raw.isBlank()) ? null : parse(raw);
			return new Response(response.statusCode(), response.headers(), json, raw);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static JsonNode parse(String raw) {
		try {
			return JSON.readTree(raw);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	// Conveniences for the common flows.

	/** Creates a room; fails the test unless the answer is 201. */
	public CreatedRoom createRoom(Map<String, ?> body) {
		Response response = post("/api/rooms", body);
		response.expectStatus(201);
		return new CreatedRoom(response.body().get("room").get("code").asString(),
				response.body().get("ownerToken").asString(), response);
	}

	public CreatedRoom createRoom() {
		return createRoom(Map.of());
	}

	/** Joins a room; fails the test unless the answer is 201. */
	public JoinedMember join(String code, Map<String, ?> body) {
		Response response = post("/api/rooms/" + code + "/members", body);
		response.expectStatus(201);
		return new JoinedMember(code, response.body().get("member").get("id").asString(),
				response.body().get("token").asString(), response);
	}

	public JoinedMember join(String code, String name) {
		return join(code, Map.of("name", name));
	}

	public record CreatedRoom(String code, String ownerToken, Response response) {
	}

	public record JoinedMember(String code, String memberId, String token, Response response) {
	}

	/**
	 * An HTTP answer.
	 *
	 * @param status the status code
	 * @param headers the headers
	 * @param body the body as JSON, or null if empty or not JSON
	 * @param raw the body as text
	 */
	public record Response(int status, HttpHeaders headers, JsonNode body, String raw) {

		/** The problem {@code code}, or null. */
		public String code() {
			return (this.body != null && this.body.has("code")) ? this.body.get("code").asString() : null;
		}

		public String contentType() {
			return this.headers.firstValue("Content-Type").orElse(null);
		}

		public Response expectStatus(int expected) {
			if (this.status != expected) {
				throw new AssertionError("Expected HTTP " + expected + " but got " + this.status + ": " + this.raw);
			}
			return this;
		}

	}

}
