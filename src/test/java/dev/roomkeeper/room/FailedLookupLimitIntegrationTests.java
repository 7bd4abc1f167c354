package dev.roomkeeper.room;

import java.time.Clock;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.bean.override.convention.TestBean;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failed look-ups are limited per client address; past the limit every join or look-up
 * from that address answers {@code rate-limited} with {@code Retry-After}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "rooms.store.type=memory", "rooms.limits.failed-joins-per-minute=3" })
class FailedLookupLimitIntegrationTests {

	/**
	 * Limits count in minutes of the clock: one that stands still keeps the test in one.
	 */
	@TestBean(methodName = "dev.roomkeeper.support.MutableClock#atFixedStart")
	Clock clock;

	@LocalServerPort
	int port;

	@Test
	void lookUpWhenTooManyFailuresThenRateLimitedForThatAddressOnly() {
		ApiClient guesser = new ApiClient(this.port).withHeader("X-Forwarded-For", "203.0.113.7");
		ApiClient someoneElse = new ApiClient(this.port).withHeader("X-Forwarded-For", "203.0.113.8");
		CreatedRoom room = someoneElse.createRoom(Map.of("password", "pw"));

		assertThat(guesser.get("/api/rooms/GUESS1").code()).isEqualTo("room-not-found");
		assertThat(guesser.post("/api/rooms/GUESS2/members", Map.of("name", "x")).code()).isEqualTo("room-not-found");
		assertThat(guesser.post("/api/rooms/" + room.code() + "/members", Map.of("name", "x", "password", "no")).code())
			.isEqualTo("wrong-password");

		Response limited = guesser.get("/api/rooms/" + room.code());
		RoomApiIntegrationTests.assertProblem(limited, 429, "rate-limited");
		// The clock stands at the start of a minute: the whole minute is left.
		assertThat(limited.headers().firstValue("Retry-After")).hasValue("60");
		RoomApiIntegrationTests.assertProblem(
				guesser.post("/api/rooms/" + room.code() + "/members", Map.of("name", "x", "password", "pw")), 429,
				"rate-limited");

		someoneElse.get("/api/rooms/" + room.code()).expectStatus(200);
		someoneElse.join(room.code(), Map.of("name", "y", "password", "pw"));
	}

}
