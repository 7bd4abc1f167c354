package dev.roomkeeper.joinlink;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.web.server.LocalServerPort;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.MemoryStoreServerTest;
import dev.roomkeeper.support.QrImages;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/rooms/{code}/qr.svg} and {@code qr.png} over real HTTP: the image
 * decodes to the room's {@code joinUrl}, built from the request or from the
 * {@code X-Forwarded-*} headers of a trusted proxy (loopback is one).
 */
@MemoryStoreServerTest
class JoinLinkIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	private ApiClient api;

	private String code;

	@BeforeEach
	void createRoom() {
		this.api = new ApiClient(this.port);
		this.code = this.api.createRoom(Map.of("name", "Quiz night")).code();
	}

	@Test
	void pngWhenDefaultSizeThen256PixelsOfTheJoinUrlWithCacheHeaders() throws IOException {
		HttpResponse<byte[]> response = get("/api/rooms/" + this.code + "/qr.png");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("max-age=3600, public");
		assertThat(response.headers().firstValue("ETag"))
			.hasValueSatisfying((etag) -> assertThat(etag).matches("\"[0-9a-f]{32}\""));
		assertThat(response.headers().allValues("Vary").toString()).contains("Host", "X-Forwarded-Host",
				"X-Forwarded-Proto", "X-Forwarded-Port");
		var image = ImageIO.read(new ByteArrayInputStream(response.body()));
		assertThat(image.getWidth()).isEqualTo(256);
		assertThat(QrImages.decode(image)).isEqualTo("http://localhost:" + this.port + "/r/" + this.code);
	}

	@Test
	void pngWhenSizeGivenThenThatSize() throws IOException {
		for (int size : new int[] { 64, 1024 }) {
			HttpResponse<byte[]> response = get("/api/rooms/" + this.code + "/qr.png?size=" + size);
			var image = ImageIO.read(new ByteArrayInputStream(response.body()));
			assertThat(image.getWidth()).isEqualTo(size);
			assertThat(QrImages.decode(image)).endsWith("/r/" + this.code);
		}
	}

	@Test
	void pngWhenSizeOutOfRangeOrNotANumberThenInvalidRequestNamingSize() {
		for (String size : new String[] { "63", "1025", "0", "-5", "big", "", "256.5" }) {
			HttpResponse<byte[]> response = get("/api/rooms/" + this.code + "/qr.png?size=" + size);
			assertThat(response.statusCode()).as("size=" + size).isEqualTo(400);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			JsonNode problem = json(response);
			assertThat(problem.get("code").asString()).isEqualTo("invalid-request");
			assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("size");
			assertThat(problem.get("errors").get(0).get("message").asString()).contains("64", "1024");
		}
	}

	@Test
	void svgWhenRoomOpenThenScalableQrOfTheJoinUrl() {
		HttpResponse<byte[]> response = get("/api/rooms/" + this.code.toLowerCase() + "/qr.svg");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("image/svg+xml");
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("max-age=3600, public");
		String svg = new String(response.body(), StandardCharsets.UTF_8);
		assertThat(QrImages.decode(QrCodesTests.render(svg, 6)))
			.isEqualTo("http://localhost:" + this.port + "/r/" + this.code);
	}

	@Test
	void qrWhenRoomUnknownOrClosedThenRoomNotFoundAsProblemJson() {
		ApiClient.CreatedRoom closed = this.api.createRoom();
		this.api.delete("/api/rooms/" + closed.code(), closed.ownerToken()).expectStatus(204);
		for (String path : new String[] { "/api/rooms/NOSUCH/qr.svg", "/api/rooms/NOSUCH/qr.png",
				"/api/rooms/" + closed.code() + "/qr.png?size=128", "/api/rooms/bad!code/qr.svg" }) {
			HttpResponse<byte[]> response = send(HttpRequest.newBuilder(uri(path)).header("Accept", "image/png"));
			assertThat(response.statusCode()).as(path).isEqualTo(404);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(json(response).get("code").asString()).isEqualTo("room-not-found");
		}
	}

	@Test
	void qrWhenETagMatchesThenNotModified() {
		HttpResponse<byte[]> first = get("/api/rooms/" + this.code + "/qr.svg");
		String etag = first.headers().firstValue("ETag").orElseThrow();
		HttpResponse<byte[]> again = send(
				HttpRequest.newBuilder(uri("/api/rooms/" + this.code + "/qr.svg")).header("If-None-Match", etag));
		assertThat(again.statusCode()).isEqualTo(304);
		assertThat(again.body()).isEmpty();
		HttpResponse<byte[]> otherSize = send(
				HttpRequest.newBuilder(uri("/api/rooms/" + this.code + "/qr.png?size=300"))
					.header("If-None-Match", etag));
		assertThat(otherSize.statusCode()).isEqualTo(200);
	}

	@Test
	void qrWhenBehindTrustedProxyThenJoinUrlUsesForwardedProtoHostAndPort() {
		HttpResponse<byte[]> https = send(HttpRequest.newBuilder(uri("/api/rooms/" + this.code + "/qr.png"))
			.header("X-Forwarded-Proto", "https")
			.header("X-Forwarded-Host", "rooms.example.org"));
		assertThat(QrImages.decode(https.body())).isEqualTo("https://rooms.example.org/r/" + this.code);

		HttpResponse<byte[]> withPort = send(HttpRequest.newBuilder(uri("/api/rooms/" + this.code + "/qr.svg"))
			.header("X-Forwarded-Proto", "https")
			.header("X-Forwarded-Host", "rooms.example.org")
			.header("X-Forwarded-Port", "8443"));
		assertThat(QrImages.decode(QrCodesTests.render(new String(withPort.body(), StandardCharsets.UTF_8), 6)))
			.isEqualTo("https://rooms.example.org:8443/r/" + this.code);
		assertThat(withPort.headers().firstValue("ETag"))
			.isNotEqualTo(get("/api/rooms/" + this.code + "/qr.svg").headers().firstValue("ETag"));

		JsonNode created = this.api.withHeader("X-Forwarded-Proto", "https")
			.withHeader("X-Forwarded-Host", "rooms.example.org")
			.post("/api/rooms", Map.of())
			.expectStatus(201)
			.body();
		String newCode = created.get("room").get("code").asString();
		assertThat(created.get("joinUrl").asString()).isEqualTo("https://rooms.example.org/r/" + newCode);
		assertThat(created.get("qrUrl").asString())
			.isEqualTo("https://rooms.example.org/api/rooms/" + newCode + "/qr.svg");
	}

	private HttpResponse<byte[]> get(String path) {
		return send(HttpRequest.newBuilder(uri(path)));
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private HttpResponse<byte[]> send(HttpRequest.Builder request) {
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static JsonNode json(HttpResponse<byte[]> response) {
		return JSON.readTree(new String(response.body(), StandardCharsets.UTF_8));
	}

}
