package dev.roomkeeper.room;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.RunningApp;
import dev.roomkeeper.support.TestRedis;
import dev.roomkeeper.support.Tickets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances on one Redis: tickets for one user sent to both at once give one seat
 * (the seat is decided inside the room's compare-and-set write).
 */
class TicketRedisMultiInstanceIntegrationTests {

	static final String SECRET = "ticket-secret-0123456789-0123456789-abcdef";

	static final String SERVER_KEY = "sk_test_0123456789abcdefghijklmnopqrstuvwxyz";

	@Test
	void ticketsForOneUserOnTwoInstancesAtOnceGiveOneSeat() throws Exception {
		String prefix = TestRedis.uniquePrefix(TicketRedisMultiInstanceIntegrationTests.class);
		String[] properties = { "rooms.store.type=redis", "spring.data.redis.url=" + TestRedis.url(),
				"rooms.store.redis.key-prefix=" + prefix, "rooms.limits.failed-joins-per-minute=100000",
				"rooms.tickets.secrets=" + SECRET, "rooms.server-keys=" + SERVER_KEY };
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try (RunningApp a = RunningApp.start(properties); RunningApp b = RunningApp.start(properties)) {
			for (int round = 0; round < 5; round++) {
				String code = a.api().createRoom().code();
				List<Callable<ApiClient.Response>> joins = new ArrayList<>();
				for (int i = 0; i < 16; i++) {
					ApiClient api = (i % 2 == 0) ? a.api() : b.api();
					joins.add(() -> api.post("/api/rooms/" + code + "/members",
							Map.of("ticket", Tickets.mint(SECRET, code, "user-1", "Ann"))));
				}
				List<String> ids = new ArrayList<>();
				int created = 0;
				for (Future<ApiClient.Response> answer : pool.invokeAll(joins)) {
					ApiClient.Response response = answer.get();
					created += (response.status() == 201) ? 1 : 0;
					ids.add(response.body().get("member").get("id").asString());
				}
				assertThat(ids).containsOnly(ids.get(0));
				assertThat(created).isEqualTo(1);
				JsonNode room = b.api().get("/api/rooms/" + code, SERVER_KEY).expectStatus(200).body();
				assertThat(room.get("memberCount").asInt()).isEqualTo(1);
			}
		}
		finally {
			pool.shutdownNow();
			LettuceConnectionFactory connectionFactory = TestRedis.connectionFactory();
			TestRedis.deleteKeys(connectionFactory, prefix);
			connectionFactory.destroy();
		}
	}

}
