package dev.roomkeeper.system;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.bean.override.convention.TestBean;

import dev.roomkeeper.room.LiveConnections;
import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code rooms.trusted-proxies} naming a proxy that is not the caller (here the
 * tests connect from loopback, which is not named), {@code X-Forwarded-For} is ignored: a
 * client that rotates the header is still one address, so it cannot dodge the limit on
 * failed look-ups or on connections per address.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "rooms.store.type=memory", "rooms.trusted-proxies=10.9.9.9, 192.0.2.0/24",
				"rooms.limits.failed-joins-per-minute=5", "rooms.limits.connections-per-address=3" })
class TrustedProxiesIntegrationTests {

	/**
	 * Limits count in minutes of the clock: one that stands still keeps the test in one.
	 */
	@TestBean(methodName = "dev.roomkeeper.support.MutableClock#atFixedStart")
	Clock clock;

	@LocalServerPort
	int port;

	@Autowired
	LiveConnections connections;

	@Test
	void rotatingXForwardedForFromAnUntrustedAddressDoesNotDodgeTheLookupLimit() {
		List<String> codes = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			ApiClient rotating = new ApiClient(this.port).withHeader("X-Forwarded-For", "198.51.100." + i);
			codes.add(rotating.get("/api/rooms/GUES" + (10 + i)).code());
		}

		assertThat(codes.subList(0, 5)).containsOnly("room-not-found");
		assertThat(codes.subList(5, 20)).containsOnly("rate-limited");
	}

	@Test
	void rotatingXForwardedForFromAnUntrustedAddressDoesNotDodgeTheConnectionLimit() {
		List<RawWebSocket> sockets = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				sockets.add(RawWebSocket.open(this.port, Map.of("X-Forwarded-For", "198.51.100." + (100 + i))));
			}
			// The server counts a connection just after its 101: wait for all three.
			await().until(() -> this.connections.total() == 3);
			try (RawWebSocket refused = RawWebSocket.open(this.port, Map.of("X-Forwarded-For", "198.51.100.200"))) {
				assertThat(refused.status()).isEqualTo(429);
			}
		}
		finally {
			sockets.forEach(RawWebSocket::close);
		}
	}

}
