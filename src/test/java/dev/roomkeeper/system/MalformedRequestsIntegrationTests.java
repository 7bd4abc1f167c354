package dev.roomkeeper.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.roomkeeper.support.RawHttp;
import dev.roomkeeper.support.RawHttp.Answer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests that the application or the container refuses answer {@code problem+json} with
 * a 4xx status, never a 500, Tomcat's HTML page or a stack trace in the log: bodies with
 * a content type no body can have, form bodies with bad escapes, and what Tomcat refuses
 * before any application code runs (bad paths, oversized request lines and headers,
 * methods it does not implement).
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "rooms.store.type=memory")
class MalformedRequestsIntegrationTests {

	@LocalServerPort
	int port;

	@ParameterizedTest
	@ValueSource(strings = { "*/*", "application/*", "*/json", "no-slash", "application/json; charset=\"",
			"application/x-www-form-urlencoded", "multipart/form-data; boundary=x" })
	void bodyWithAContentTypeNoJsonBodyCanHaveIsUnsupportedMediaType(String contentType, CapturedOutput output) {
		Answer answer = post("/api/rooms", contentType, "a=%zz");

		assertProblem(answer, 415, "unsupported-media-type");
		assertThat(output).doesNotContain("\tat ");
	}

	@Test
	void parametersWithABadEscapeAreInvalidRequest(CapturedOutput output) {
		Answer answer = RawHttp.send(this.port,
				"GET /api/rooms/ABCDEF/qr.png?size=%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

		assertProblem(answer, 400, "invalid-request");
		assertThat(output).doesNotContain("\tat ");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/rooms/a%2Fb", "/api/rooms/a\\b", "/api/rooms/a%00b", "/api/rooms/a%zz",
			"/../etc/passwd", "/api/rooms/%" })
	void pathsTomcatRefusesAreProblemJson(String path, CapturedOutput output) {
		Answer answer = RawHttp.send(this.port,
				"GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

		assertProblem(answer, 400, "invalid-request");
		assertThat(output).doesNotContain("\tat ");
	}

	@Test
	void traceWithABadEscapeInAPathParameterIsProblemJson() {
		Answer answer = RawHttp.send(this.port,
				"TRACE /a;jses%sionid=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

		assertProblem(answer, 405, "method-not-allowed");
	}

	@Test
	void requestLineOver8KiBIsProblemJson() {
		Answer answer = RawHttp.send(this.port,
				"GET /api/rooms/" + "A".repeat(9000) + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

		assertProblem(answer, 400, "invalid-request");
	}

	@Test
	void headerOf20KiBIsProblemJson() {
		Answer answer = RawHttp.send(this.port, "GET /api/rooms HTTP/1.1\r\nHost: localhost\r\nX-Big: "
				+ "a".repeat(20 * 1024) + "\r\nConnection: close\r\n\r\n");

		assertProblem(answer, 400, "invalid-request");
	}

	@Test
	void connectMethodIsProblemJson() {
		Answer answer = RawHttp.send(this.port,
				"CONNECT localhost:80 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

		assertProblem(answer, 501, "method-not-allowed");
	}

	@Test
	void unknownHttpVersionIsProblemJson() {
		Answer answer = RawHttp.send(this.port,
				"GET /api/rooms HTTP/9.9\r\nHost: localhost\r\nConnection: close\r\n\r\n");

		assertProblem(answer, 505, "invalid-request");
	}

	@Test
	void wellFormedRequestsStillWork() {
		Answer answer = post("/api/rooms", "application/json", "{}");

		assertThat(answer.status()).isEqualTo(201);
		assertThat(answer.contentType()).startsWith("application/json");
	}

	private Answer post(String path, String contentType, String body) {
		return RawHttp.send(this.port, "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType
				+ "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
	}

	static void assertProblem(Answer answer, int status, String code) {
		assertThat(answer.status()).as(answer.raw()).isEqualTo(status);
		assertThat(answer.contentType()).as(answer.raw()).startsWith("application/problem+json");
		assertThat(answer.body()).as(answer.raw()).contains("\"code\":\"" + code + "\"");
	}

}
