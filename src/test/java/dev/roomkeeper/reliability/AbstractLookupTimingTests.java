package dev.roomkeeper.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A join to a room that does not exist takes as long as a join with a wrong password, so
 * the time of the answer does not tell which codes exist: the medians of
 * {@link #samples()} timed joins of each kind are within 10% of each other. The samples
 * are interleaved in pairs, in a random order within each pair, so a change in the
 * machine's load affects both kinds alike.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "rooms.store.type=memory", "rooms.limits.failed-joins-per-minute=100000000" })
abstract class AbstractLookupTimingTests {

	@LocalServerPort
	int port;

	abstract int samples();

	@Test
	void missingRoomAndWrongPasswordTakeTheSameTime() {
		ApiClient api = new ApiClient(this.port);
		CreatedRoom room = api.createRoom(Map.of("password", "the right one"));
		Random order = new Random(7);
		List<Long> missing = new ArrayList<>();
		List<Long> wrong = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			time(api, "NOROOM", "warm-up");
			time(api, room.code(), "warm-up");
		}
		for (int i = 0; i < samples(); i++) {
			if (order.nextBoolean()) {
				missing.add(time(api, "NOROOM", "guess " + i));
				wrong.add(time(api, room.code(), "guess " + i));
			}
			else {
				wrong.add(time(api, room.code(), "guess " + i));
				missing.add(time(api, "NOROOM", "guess " + i));
			}
		}

		long missingMedian = AbstractFuzzTests.percentile(missing, 50);
		long wrongMedian = AbstractFuzzTests.percentile(wrong, 50);
		double difference = Math.abs(missingMedian - wrongMedian) / (double) Math.max(missingMedian, wrongMedian);
		System.out.printf("timing: %d pairs, median join to a missing room %d us, with a wrong password %d us "
				+ "(%.1f%% apart)%n", samples(), missingMedian, wrongMedian, difference * 100);
		assertThat(difference).isLessThanOrEqualTo(0.10);
	}

	private long time(ApiClient api, String code, String password) {
		long start = System.nanoTime();
		String answer = api.post("/api/rooms/" + code + "/members", Map.of("name", "x", "password", password)).code();
		long micros = (System.nanoTime() - start) / 1000;
		assertThat(answer).isIn("room-not-found", "wrong-password");
		return micros;
	}

}
