package dev.roomkeeper.pages;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.system.PageHeadersFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages and scripts as files: what {@code /} and {@code /r/{code}} serve, that every
 * script and style they use comes from this server (no CDN, no web fonts), and that
 * browsers revalidate them. (Shares the API tests' server.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "rooms.store.type=memory", "rooms.limits.failed-joins-per-minute=100000" })
class PagesIntegrationTests {

	private static final Pattern REFERENCE = Pattern
		.compile("(?:src|href)=\"([^\"]+)\"|^import[^'\"]*['\"]([^'\"]+)['\"]|url\\(([^)]+)\\)", Pattern.MULTILINE);

	@LocalServerPort
	int port;

	@Test
	void rootIsTheLobbyAndAnyRoomPathIsTheRoomPage() {
		ApiClient api = new ApiClient(this.port);
		ApiClient.Response lobby = api.get("/");
		assertThat(lobby.status()).isEqualTo(200);
		assertThat(lobby.contentType()).startsWith("text/html");
		assertThat(lobby.raw()).contains("<script type=\"module\" src=\"/js/lobby.js\"></script>");
		assertThat(lobby.headers().firstValue("Cache-Control")).hasValue("no-cache");
		for (String path : new String[] { "/r/ABC234", "/r/quiz-night", "/r/NOSUCHROOM" }) {
			ApiClient.Response room = api.get(path);
			assertThat(room.status()).as(path).isEqualTo(200);
			assertThat(room.contentType()).startsWith("text/html");
			assertThat(room.raw()).contains("<script type=\"module\" src=\"/js/room.js\"></script>");
			assertThat(room.headers().firstValue("Content-Security-Policy"))
				.hasValue(PageHeadersFilter.CONTENT_SECURITY_POLICY);
		}
		assertThat(lobby.headers().firstValue("Content-Security-Policy"))
			.hasValueSatisfying((policy) -> assertThat(policy).contains("script-src 'self'", "frame-ancestors 'none'"));
		assertThat(lobby.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
		assertThat(lobby.raw()).doesNotContain("style=\"");
	}

	@Test
	void everythingThePagesLoadComesFromThisServer() {
		ApiClient api = new ApiClient(this.port);
		String[] files = { "/", "/room.html", "/css/roomkeeper.css", "/js/roomkeeper.js", "/js/lobby.js",
				"/js/room.js" };
		for (String file : files) {
			ApiClient.Response response = api.get(file);
			assertThat(response.status()).as(file).isEqualTo(200);
			Matcher references = REFERENCE.matcher(response.raw());
			while (references.find()) {
				String reference = firstNonNull(references.group(1), references.group(2), references.group(3));
				assertThat(reference).as("reference in " + file).doesNotContain("//").doesNotStartWith("http");
			}
		}
		assertThat(api.get("/css/roomkeeper.css").raw()).doesNotContain("@import", "@font-face");
		ApiClient.Response stomp = api.get("/webjars/stomp__stompjs/esm6/index.js");
		assertThat(stomp.status()).isEqualTo(200);
		assertThat(stomp.contentType()).startsWith("text/javascript");
		assertThat(api.get("/js/roomkeeper.js").raw())
			.contains("import { Client } from '../webjars/stomp__stompjs/esm6/index.js';");
		assertThat(api.get("/favicon.svg").status()).isEqualTo(200);
	}

	private static String firstNonNull(String... values) {
		for (String value : values) {
			if (value != null) {
				return value;
			}
		}
		return null;
	}

}
