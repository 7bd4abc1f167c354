package dev.roomkeeper.coldstart;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/**
 * One training round against a running server, the way its users drive it: create a room,
 * look it up, join three members (one with the owner token), connect each over STOMP and
 * subscribe, broadcast, change the state over STOMP and REST, change the settings, fetch
 * the pages and the QR code, then leave and close the room. Every answer is checked, so a
 * round that does not work fails the run instead of recording a cache of error paths.
 */
final class TrainingClient {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final int MESSAGES = 20;

	private static final int STATE_CHANGES = 10;

	private final HttpClient http;

	/**
	 * A client of its own for the WebSocket handshakes: the JDK's client may send one on
	 * a pooled connection, and on a connection at Tomcat's keep-alive limit (100
	 * requests) the server answers {@code Connection: Upgrade, close}, which the JDK's
	 * client refuses.
	 */
	private final HttpClient webSockets = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	private final JsonMapper json;

	private final String base;

	private final URI ws;

	TrainingClient(HttpClient http, JsonMapper json, int port) {
		this.http = http;
		this.json = json;
		this.base = "http://127.0.0.1:" + port;
		this.ws = URI.create("ws://127.0.0.1:" + port + "/ws");
	}

	/**
	 * The start-up paths a client meets once: pages, health, metrics, a room not found.
	 */
	void visit() throws IOException, InterruptedException {
		expect(get("/", null), 200);
		expect(get("/actuator/health", null), 200);
		expect(get("/actuator/prometheus", null), 200);
		expect(get("/api/rooms/NOSUCHROOM", null), 404);
		expect(request("POST", "/api/rooms", null, "{\"name\":"), 400);
	}

	/** Creates a room of two members with some state and settings, and leaves it open. */
	void seed(int n) throws IOException, InterruptedException {
		JsonNode created = expect(request("POST", "/api/rooms", null,
				"{\"name\":\"seed " + n
						+ "\",\"listed\":true,\"settings\":{\"theme\":\"dark\"},\"state\":{\"board\":[1,2,3],\"turn\":"
						+ n + "}}"),
				201);
		String room = "/api/rooms/" + created.path("room").path("code").asString();
		String ownerToken = created.path("ownerToken").asString();
		expect(request("POST", room + "/members", null,
				"{\"name\":\"owner\",\"ownerToken\":\"" + ownerToken + "\",\"metadata\":{\"seat\":0}}"), 201);
		expect(request("POST", room + "/members", null, "{\"name\":\"guest\",\"metadata\":{\"seat\":1}}"), 201);
	}

	/** One round: a room from creation to close. */
	void round(int round) throws IOException, InterruptedException {
		JsonNode created = expect(
				request("POST", "/api/rooms", null,
						"{\"name\":\"training " + round + "\",\"listed\":true,\"state\":{\"round\":" + round + "}}"),
				201);
		String code = created.path("room").path("code").asString();
		String ownerToken = created.path("ownerToken").asString();
		String room = "/api/rooms/" + code;
		expect(get("/api/rooms", null), 200);
		expect(get(room, null), 200);
		expect(get(room + "/qr.svg", null), 200);
		expect(get("/r/" + code, null), 200);

		List<String> tokens = new ArrayList<>();
		List<String> memberIds = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			String owner = (i == 0) ? ",\"ownerToken\":\"" + ownerToken + "\"" : "";
			JsonNode joined = expect(request("POST", room + "/members", null,
					"{\"name\":\"member " + i + "\",\"metadata\":{\"seat\":" + i + "}" + owner + "}"), 201);
			tokens.add(joined.path("token").asString());
			memberIds.add(joined.path("member").path("id").asString());
		}
		expect(get(room, tokens.get(1)), 200);

		List<TrainingStompSocket> sockets = new ArrayList<>();
		try {
			for (String token : tokens) {
				TrainingStompSocket socket = TrainingStompSocket.connect(this.webSockets, this.ws, token);
				sockets.add(socket);
				socket.subscribe("queue", "/user/queue/room");
				socket.subscribe("room", "/topic/rooms/" + code);
				socket.awaitContaining("MESSAGE", "\"snapshot\"");
			}
			live(code, room, tokens, sockets);
		}
		finally {
			sockets.forEach(TrainingStompSocket::close);
		}

		expect(request("PATCH", room, ownerToken, "{\"locked\":true,\"settings\":{\"theme\":\"dark\"}}"), 200);
		expect(request("DELETE", room + "/members/" + memberIds.get(2), tokens.get(2), null), 204);
		expect(request("DELETE", room, ownerToken, null), 204);
	}

	private void live(String code, String room, List<String> tokens, List<TrainingStompSocket> sockets)
			throws IOException, InterruptedException {
		String app = "/app/rooms/" + code;
		TrainingStompSocket sender = sockets.get(1);
		for (int i = 0; i < MESSAGES; i++) {
			sender.send(app + "/broadcast", "{\"data\":{\"n\":" + i + ",\"text\":\"hello\"}}");
		}
		for (int i = 0; i < STATE_CHANGES; i++) {
			sender.send(app + "/state", "{\"patch\":{\"live\":" + i + "}}");
			expect(request("POST", room + "/state", tokens.get(2), "{\"patch\":{\"rest\":" + i + "}}"), 200);
		}
		sender.send(app + "/presence", "{\"metadata\":{\"typing\":true}}");
		sender.send(app + "/keep-alive", "{}");
		expect(request("POST", room + "/keep-alive", tokens.get(0), null), 204);
		for (TrainingStompSocket socket : sockets) {
			socket.awaitContaining("MESSAGE", "\"n\":" + (MESSAGES - 1) + ",");
			socket.awaitContaining("MESSAGE", "\"presence\"");
		}
		sender.send(app + "/snapshot", "{}");
		sender.awaitContaining("MESSAGE", "\"snapshot\"");
	}

	private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
		return request("GET", path, token, null);
	}

	private HttpResponse<String> request(String method, String path, String token, String body)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(TIMEOUT)
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private JsonNode expect(HttpResponse<String> response, int status) {
		if (response.statusCode() != status) {
			throw new IllegalStateException(response.request().method() + " " + response.request().uri() + " answered "
					+ response.statusCode() + " instead of " + status + ": " + response.body());
		}
		String body = response.body();
		boolean isJson = response.headers().firstValue("Content-Type").orElse("").contains("json");
		return (isJson && !body.isEmpty()) ? this.json.readTree(body) : NullNode.getInstance();
	}

}
