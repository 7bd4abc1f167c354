package dev.roomkeeper.joinlink;

import java.time.Clock;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.bean.override.convention.TestBean;

import dev.roomkeeper.support.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A QR code of a room that is not open is a failed look-up like any other: it counts
 * against the client address, so the QR endpoints cannot be used to find out which codes
 * exist. (Same properties as {@code FailedLookupLimitIntegrationTests}: one shared
 * server.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "rooms.store.type=memory", "rooms.limits.failed-joins-per-minute=3" })
class JoinLinkLookupLimitIntegrationTests {

	/**
	 * Limits count in minutes of the clock: one that stands still keeps the test in one.
	 */
	@TestBean(methodName = "dev.roomkeeper.support.MutableClock#atFixedStart")
	Clock clock;

	@LocalServerPort
	int port;

	@Test
	void qrWhenRoomNotFoundThenCountsAsFailedLookUpOfTheAddress() {
		ApiClient api = new ApiClient(this.port);
		String code = api.createRoom().code();
		ApiClient guesser = api.withHeader("X-Forwarded-For", "203.0.113.77");
		assertThat(guesser.get("/api/rooms/NOPE01/qr.svg").code()).isEqualTo("room-not-found");
		assertThat(guesser.get("/api/rooms/NOPE02/qr.png").code()).isEqualTo("room-not-found");
		assertThat(guesser.get("/api/rooms/NOPE03/qr.png?size=64").code()).isEqualTo("room-not-found");

		ApiClient.Response limited = guesser.get("/api/rooms/" + code + "/qr.svg");
		assertThat(limited.status()).isEqualTo(429);
		assertThat(limited.code()).isEqualTo("rate-limited");
		assertThat(limited.headers().firstValue("Retry-After")).isPresent();
		assertThat(guesser.get("/api/rooms/" + code).code()).isEqualTo("rate-limited");
		assertThat(api.withHeader("X-Forwarded-For", "203.0.113.78").get("/api/rooms/" + code + "/qr.svg").status())
			.isEqualTo(200);
	}

}
