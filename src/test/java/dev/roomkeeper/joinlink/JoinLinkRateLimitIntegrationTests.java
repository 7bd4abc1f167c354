package dev.roomkeeper.joinlink;

import java.time.Clock;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.bean.override.convention.TestBean;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * QR images are limited per client address ({@code rooms.limits.qr-per-minute}): past the
 * limit, {@code rate-limited} with {@code Retry-After}, for that address only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "rooms.store.type=memory", "rooms.limits.qr-per-minute=5" })
class JoinLinkRateLimitIntegrationTests {

	/**
	 * Limits count in minutes of the clock: one that stands still keeps the test in one.
	 */
	@TestBean(methodName = "dev.roomkeeper.support.MutableClock#atFixedStart")
	Clock clock;

	@LocalServerPort
	int port;

	@Test
	void qrWhenOverTheLimitThenRateLimitedForThatAddressOnly() {
		ApiClient heavy = new ApiClient(this.port).withHeader("X-Forwarded-For", "203.0.113.50");
		ApiClient other = new ApiClient(this.port).withHeader("X-Forwarded-For", "203.0.113.51");
		CreatedRoom room = other.createRoom();

		for (int i = 0; i < 5; i++) {
			String path = "/api/rooms/" + room.code() + ((i % 2 == 0) ? "/qr.png?size=1024" : "/qr.svg");
			assertThat(heavy.get(path).status()).isEqualTo(200);
		}
		Response limited = heavy.get("/api/rooms/" + room.code() + "/qr.png?size=1024");
		assertThat(limited.status()).isEqualTo(429);
		assertThat(limited.contentType()).startsWith("application/problem+json");
		assertThat(limited.code()).isEqualTo("rate-limited");
		assertThat(limited.headers().firstValue("Retry-After")).isPresent();
		assertThat(heavy.get("/api/rooms/NOSUCH/qr.svg").code()).isEqualTo("rate-limited");

		assertThat(other.get("/api/rooms/" + room.code() + "/qr.png?size=1024").status()).isEqualTo(200);
	}

}
