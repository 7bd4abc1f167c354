package dev.roomkeeper.live;

import java.time.Clock;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.bean.override.convention.TestBean;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A STOMP {@code CONNECT} with a token that is not an open room's is a failed look-up of
 * the address, like a wrong room code over REST: the answer is the same whether the room
 * exists or not, and past {@code rooms.limits.failed-joins-per-minute} every CONNECT from
 * the address (and every REST look-up) is refused with {@code rate-limited}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "rooms.store.type=memory", "rooms.limits.failed-joins-per-minute=3" })
class LiveConnectLookupLimitIntegrationTests {

	/**
	 * Limits count in minutes of the clock: one that stands still keeps the test in one.
	 */
	@TestBean(methodName = "dev.roomkeeper.support.MutableClock#atFixedStart")
	Clock clock;

	@LocalServerPort
	int port;

	@Test
	void connectWithMadeUpTokensIsOneAnswerThenRateLimitedForThatAddressOnly() {
		ApiClient owner = new ApiClient(this.port).withHeader("X-Forwarded-For", "203.0.113.20");
		CreatedRoom room = owner.createRoom();
		JoinedMember ann = owner.join(room.code(), "Ann");
		String guesser = "203.0.113.21";

		String missingRoom = errorFor(guesser, "ZZZZZZ.made-up-secret");
		String wrongToken = errorFor(guesser, room.code() + ".made-up-secret");
		assertThat(header(missingRoom, "code")).isEqualTo("unauthorized");
		assertThat(header(wrongToken, "code")).isEqualTo("unauthorized");
		assertThat(header(missingRoom, "message")).isEqualTo(header(wrongToken, "message"));
		assertThat(bodyOf(missingRoom)).isEqualTo(bodyOf(wrongToken));
		assertThat(header(errorFor(guesser, "not-a-token"), "code")).isEqualTo("unauthorized");

		String limited = errorFor(guesser, ann.token());
		assertThat(header(limited, "code")).isEqualTo("rate-limited");
		ApiClient guesserOverRest = new ApiClient(this.port).withHeader("X-Forwarded-For", guesser);
		assertThat(guesserOverRest.get("/api/rooms/" + room.code()).code()).isEqualTo("rate-limited");

		try (RawWebSocket raw = RawWebSocket.open(this.port, Map.of("X-Forwarded-For", "203.0.113.22"))) {
			raw.sendText("CONNECT\naccept-version:1.2\ntoken:" + ann.token() + "\n\n\0");
			assertThat(raw.readUntil("CONNECTED")).contains("user-name:" + ann.memberId());
		}
	}

	@Test
	void connectFromAnAddressLimitedOverRestIsRefused() {
		ApiClient owner = new ApiClient(this.port).withHeader("X-Forwarded-For", "203.0.113.30");
		CreatedRoom room = owner.createRoom();
		JoinedMember ann = owner.join(room.code(), "Ann");
		String guesser = "203.0.113.31";
		ApiClient guesserOverRest = new ApiClient(this.port).withHeader("X-Forwarded-For", guesser);
		for (int i = 0; i < 3; i++) {
			assertThat(guesserOverRest.get("/api/rooms/NOPE0" + i).code()).isEqualTo("room-not-found");
		}
		assertThat(header(errorFor(guesser, ann.token()), "code")).isEqualTo("rate-limited");
	}

	private String errorFor(String address, String token) {
		try (RawWebSocket raw = RawWebSocket.open(this.port, Map.of("X-Forwarded-For", address))) {
			raw.sendText("CONNECT\naccept-version:1.2\ntoken:" + token + "\n\n\0");
			String frame = raw.readUntil("\0");
			assertThat(frame).startsWith("ERROR\n");
			return frame;
		}
	}

	static String header(String frame, String name) {
		String headers = frame.substring(0, frame.indexOf("\n\n"));
		for (String line : headers.split("\n")) {
			if (line.startsWith(name + ":")) {
				return line.substring(name.length() + 1);
			}
		}
		return null;
	}

	private static String bodyOf(String frame) {
		return frame.substring(frame.indexOf("\n\n") + 2, frame.indexOf('\0'));
	}

}
