package dev.roomkeeper.reliability;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.bean.override.convention.TestBean;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guessing room codes is stopped at the limit whichever way the guesses come: REST
 * look-ups, joins, QR images and STOMP {@code CONNECT} with made-up tokens all count as
 * failed look-ups of one address, and past {@code rooms.limits.failed-joins-per-minute}
 * every one of them answers {@code rate-limited}, even for a room that exists.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "rooms.store.type=memory", "rooms.limits.failed-joins-per-minute=12" })
class EnumerationLimitIntegrationTests {

	/**
	 * Limits count in minutes of the clock: one that stands still keeps the test in one.
	 */
	@TestBean(methodName = "dev.roomkeeper.support.MutableClock#atFixedStart")
	Clock clock;

	@LocalServerPort
	int port;

	@Test
	void guessesOverRestQrAndStompShareOneLimit() {
		String guesser = "198.51.100.77";
		ApiClient api = new ApiClient(this.port).withHeader("X-Forwarded-For", guesser);
		CreatedRoom existing = new ApiClient(this.port).withHeader("X-Forwarded-For", "198.51.100.78").createRoom();
		List<String> answers = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			String guess = String.format("G%05d", i);
			answers.add(switch (i % 4) {
				case 0 -> api.get("/api/rooms/" + guess).code();
				case 1 -> api.post("/api/rooms/" + guess + "/members", Map.of("name", "x")).code();
				case 2 -> api.get("/api/rooms/" + guess + "/qr.png").code();
				default -> connect(guesser, guess + ".made-up-secret");
			});
		}

		assertThat(answers.subList(0, 12))
			.allMatch((code) -> code.equals("room-not-found") || code.equals("unauthorized"));
		assertThat(answers.subList(12, 40)).containsOnly("rate-limited");
		assertThat(api.get("/api/rooms/" + existing.code()).code()).isEqualTo("rate-limited");
		assertThat(connect(guesser, existing.code() + ".made-up-secret")).isEqualTo("rate-limited");
		System.out.printf("enumeration: 40 guesses from one address over REST, join, QR and STOMP, %d answered, "
				+ "%d rate-limited%n", 12, answers.subList(12, 40).size());
	}

	private String connect(String address, String token) {
		try (RawWebSocket socket = RawWebSocket.open(this.port, Map.of("X-Forwarded-For", address))) {
			socket.sendText("CONNECT\naccept-version:1.2\ntoken:" + token + "\n\n\0");
			String frame = socket.readUntil("\0");
			assertThat(frame).startsWith("ERROR\n");
			return frame.substring(frame.indexOf("\ncode:") + 6, frame.indexOf('\n', frame.indexOf("\ncode:") + 1));
		}
	}

}
