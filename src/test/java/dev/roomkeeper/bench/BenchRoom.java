package dev.roomkeeper.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.roomkeeper.support.ApiClient;

/**
 * A room created for the benchmark and the tokens of its members.
 *
 * @param code the room code
 * @param tokens one member token per member
 */
record BenchRoom(String code, List<String> tokens) {

	/**
	 * Creates the rooms and joins their members over REST, one room per task on
	 * {@code threads} threads (set-up, not measured).
	 */
	static List<BenchRoom> create(String url, int rooms, int members, int threads) throws Exception {
		ApiClient api = new ApiClient(url);
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<BenchRoom>> created = new ArrayList<>();
			for (int r = 0; r < rooms; r++) {
				String name = "bench " + r;
				created.add(pool.submit(() -> create(api, name, members)));
			}
			List<BenchRoom> result = new ArrayList<>();
			for (Future<BenchRoom> room : created) {
				result.add(room.get());
			}
			return result;
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static BenchRoom create(ApiClient api, String name, int members) {
		String code = api.createRoom(Map.of("name", name, "maxMembers", members)).code();
		List<String> tokens = new ArrayList<>();
		for (int m = 0; m < members; m++) {
			tokens.add(api.join(code, "m" + m).token());
		}
		return new BenchRoom(code, tokens);
	}

}
