package dev.roomkeeper.store.redis;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.roomkeeper.support.RunningApp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * With the default file store the server never talks to Redis: no connection, no Redis in
 * health, even though the Redis client is on the class path and a Redis URL is set.
 */
class RedisOnlyWhenSelectedIntegrationTests {

	@TempDir
	Path dir;

	@Test
	void fileStoreWhenDefaultThenNoRedisConnectionAndNoRedisInHealth() throws Exception {
		try (ServerSocket fakeRedis = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			try (RunningApp app = RunningApp.start("rooms.store.dir=" + this.dir,
					"spring.data.redis.url=redis://127.0.0.1:" + fakeRedis.getLocalPort(),
					"rooms.admin-token=health-admin-token-for-tests")) {
				app.api().createRoom();
				JsonNode health = app.api()
					.get("/actuator/health", "health-admin-token-for-tests")
					.expectStatus(200)
					.body();

				assertThat(app.context().getBeanNamesForType(RedisConnectionFactory.class)).isEmpty();
				assertThat(health.get("components").has("redis")).isFalse();
				assertThat(health.get("status").asString()).isEqualTo("UP");
				fakeRedis.setSoTimeout(100);
				assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(fakeRedis::accept);
			}
		}
	}

}
