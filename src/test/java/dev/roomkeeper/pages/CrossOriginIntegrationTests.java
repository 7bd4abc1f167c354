package dev.roomkeeper.pages;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An app on another origin may load the client module from any origin and use the rooms
 * API from an origin in {@code rooms.allowed-origins}. (Same properties as
 * {@code JoinLinkPublicUrlIntegrationTests}: one shared server.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "rooms.store.type=memory",
		"rooms.public-url=https://play.example.com/", "rooms.allowed-origins=https://app.example.com" })
class CrossOriginIntegrationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Test
	void clientModuleWhenLoadedFromAnyOriginThenCorsAllowsIt() throws Exception {
		for (String path : new String[] { "/js/roomkeeper.js", "/webjars/stomp__stompjs/esm6/index.js" }) {
			HttpResponse<String> response = send(
					HttpRequest.newBuilder(uri(path)).header("Origin", "https://somewhere.example.net"));
			assertThat(response.statusCode()).as(path).isEqualTo(200);
			assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).as(path).hasValue("*");
		}
	}

	@Test
	void apiPreflightWhenOriginAllowedThenMethodsAndAuthorizationAllowed() throws Exception {
		HttpResponse<String> preflight = send(HttpRequest.newBuilder(uri("/api/rooms/ABC234/members"))
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
			.header("Origin", "https://app.example.com")
			.header("Access-Control-Request-Method", "POST")
			.header("Access-Control-Request-Headers", "authorization, content-type"));
		assertThat(preflight.statusCode()).isEqualTo(200);
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("POST", "PATCH",
				"DELETE");
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
			.contains("authorization", "content-type");
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();

		HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/api/rooms"))
			.POST(HttpRequest.BodyPublishers.ofString("{}"))
			.header("Content-Type", "application/json")
			.header("Origin", "https://app.example.com"));
		assertThat(created.statusCode()).isEqualTo(201);
		assertThat(created.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
		assertThat(created.headers().firstValue("Access-Control-Expose-Headers").orElse("")).contains("Location");
	}

	@Test
	void apiWhenOriginNotAllowedThenRefused() throws Exception {
		HttpResponse<String> preflight = send(HttpRequest.newBuilder(uri("/api/rooms"))
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
			.header("Origin", "https://evil.example.net")
			.header("Access-Control-Request-Method", "POST"));
		assertThat(preflight.statusCode()).isEqualTo(403);
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
