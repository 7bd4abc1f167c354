package dev.roomkeeper.reliability;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Malformed HTTP/1.1 requests from a seeded {@link Random}: methods, paths (traversal,
 * encoded separators, bad and overlong escapes, raw UTF-8, long segments), content types
 * and bodies (broken JSON, forms with bad escapes, oversized), header sizes. Every
 * request has an exact {@code Content-Length} and {@code Connection: close}, and none
 * asks for a WebSocket upgrade, so the server always answers and closes.
 */
final class MalformedRequests {

	private static final String[] METHODS = { "GET", "GET", "POST", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
			"TRACE", "get", "PROPFIND", "FOO", "POST" };

	private static final String[] PATHS = { "/api/rooms", "/api/rooms/{code}", "/api/rooms/{code}/members",
			"/api/rooms/{code}/state", "/api/rooms/{code}/settings", "/api/rooms/{code}/qr.png?size=256",
			"/api/rooms/{code}/qr.svg", "/api/rooms/{code}/members/abc", "/api/admin/stats", "/api/admin/import",
			"/api/admin/rooms/{code}", "/actuator/health", "/actuator/prometheus", "/actuator/env", "/ws", "/r/{code}",
			"/", "/index.html", "/admin", "/js/roomkeeper.js", "/error", "/api" };

	private static final String[] MUTATIONS = { "/../", "/%2e%2e/", "%2F", "%5C", "%00", "%zz", "%", "%c0%af", "%252e",
			";jsessionid=1", "//", "/./", "?a=%zz&b", "?size=%", "?size=99999999999", "#frag", "%F0%9F%8E%89", "%ff",
			"?x=" + "y".repeat(3000), "/\u00e9" };

	private static final String[] CONTENT_TYPES = { "application/json", "application/json", "*/*", "application/*",
			"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=zz", "garbage",
			"application/json; charset=utf-16", "application/json; charset=nope", "application/merge-patch+json",
			"application/xml", "", "application/json;;", "image/png", "application/json; q=0.5" };

	private static final String[] ACCEPTS = { "*/*", "application/json", "text/html", "image/png", "garbage/",
			"application/problem+json", "text/event-stream", "*/*;q=0" };

	private final Random random;

	private final String code;

	private final MalformedFrames text;

	MalformedRequests(long seed, String code) {
		this.random = new Random(seed);
		this.code = code;
		this.text = new MalformedFrames(seed + 1, code);
	}

	/** The method of the last request, to know whether its answer has a body. */
	private String lastMethod = "GET";

	String lastMethod() {
		return this.lastMethod;
	}

	byte[] next() {
		String method = METHODS[this.random.nextInt(METHODS.length)];
		this.lastMethod = method;
		String path = path();
		byte[] body = body();
		StringBuilder request = new StringBuilder();
		request.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
		request.append("Host: localhost\r\n");
		if (this.random.nextInt(4) > 0) {
			request.append("Content-Type: ")
				.append(CONTENT_TYPES[this.random.nextInt(CONTENT_TYPES.length)])
				.append("\r\n");
		}
		if (this.random.nextBoolean()) {
			request.append("Accept: ").append(ACCEPTS[this.random.nextInt(ACCEPTS.length)]).append("\r\n");
		}
		if (this.random.nextInt(5) == 0) {
			request.append("Authorization: ")
				.append(this.random.nextBoolean() ? "Bearer " + this.code + ".bogus" : "Basic " + ascii(12))
				.append("\r\n");
		}
		if (this.random.nextInt(40) == 0) {
			request.append("X-Big: ").append("b".repeat(9_000 + this.random.nextInt(12_000))).append("\r\n");
		}
		if (this.random.nextInt(30) == 0) {
			request.append("X-Forwarded-For: ").append(ascii(15)).append("\r\n");
		}
		request.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
		byte[] head = request.toString().getBytes(StandardCharsets.UTF_8);
		byte[] all = new byte[head.length + body.length];
		System.arraycopy(head, 0, all, 0, head.length);
		System.arraycopy(body, 0, all, head.length, body.length);
		return all;
	}

	private String path() {
		String path = PATHS[this.random.nextInt(PATHS.length)].replace("{code}",
				this.random.nextInt(3) == 0 ? ascii(6) : this.code);
		int mutations = this.random.nextInt(3);
		for (int i = 0; i < mutations; i++) {
			String mutation = MUTATIONS[this.random.nextInt(MUTATIONS.length)];
			int at = 1 + this.random.nextInt(path.length());
			path = path.substring(0, at) + mutation + path.substring(at);
		}
		if (this.random.nextInt(50) == 0) {
			path = path + "/" + "x".repeat(9_000);
		}
		return path.replace(" ", "%20");
	}

	private byte[] body() {
		String body = switch (this.random.nextInt(9)) {
			case 0 -> "";
			case 1 -> "{\"name\":\"" + this.text.randomText(20).replace("\"", "").replace("\\", "") + "\"}";
			case 2 -> "{\"patch\":{\"a\":1}";
			case 3 -> "a=%zz&b=%";
			case 4 -> "[".repeat(2_000 + this.random.nextInt(8_000));
			case 5 -> "{\"name\":\"x\",\"maxMembers\":\"" + ascii(5) + "\",\"settings\":[1]}";
			case 6 -> "{\"data\":\"" + "z".repeat(300_000 + this.random.nextInt(100_000)) + "\"}";
			case 7 -> this.text.randomText(50);
			default -> "{\"state\":{\"x\":1},\"version\":" + this.random.nextLong() + "}";
		};
		return body.getBytes(StandardCharsets.UTF_8);
	}

	private String ascii(int length) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < length; i++) {
			text.append((char) ('!' + this.random.nextInt(94)));
		}
		return text.toString().replace("\r", "").replace("\n", "");
	}

}
