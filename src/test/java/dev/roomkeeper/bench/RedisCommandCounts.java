package dev.roomkeeper.bench;

import java.util.Map;
import java.util.TreeMap;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * Calls per Redis command from {@code INFO commandstats}, to count Redis commands per
 * room event between two readings.
 */
final class RedisCommandCounts {

	private RedisCommandCounts() {
	}

	/** Calls per command (without {@code info} itself); empty without a Redis URL. */
	static Map<String, Long> read(String redisUrl) {
		Map<String, Long> calls = new TreeMap<>();
		if (redisUrl == null) {
			return calls;
		}
		try (RedisClient client = RedisClient.create(redisUrl);
				StatefulRedisConnection<String, String> connection = client.connect()) {
			for (String line : connection.sync().info("commandstats").split("\\r?\\n")) {
				int at = line.indexOf("calls=");
				if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info:") && at >= 0) {
					calls.put(line.substring(8, line.indexOf(':')),
							Long.parseLong(line.substring(at + 6, line.indexOf(',', at))));
				}
			}
			return calls;
		}
	}

	/**
	 * Redis commands per room event, in total and by command, between two readings. Each
	 * room event is written by one script call ({@code evalsha}), which counts the
	 * events.
	 */
	static String perEvent(Map<String, Long> before, Map<String, Long> after) {
		long events = after.getOrDefault("evalsha", 0L) - before.getOrDefault("evalsha", 0L);
		if (events <= 0) {
			return "no room event written";
		}
		long total = 0;
		StringBuilder byCommand = new StringBuilder();
		for (Map.Entry<String, Long> entry : after.entrySet()) {
			long calls = entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
			if (calls > 0) {
				total += calls;
				byCommand.append(String.format(" %s %.2f", entry.getKey(), (double) calls / events));
			}
		}
		return String.format("%.2f over %d events (%s)", (double) total / events, events, byCommand.toString().trim());
	}

}
