package dev.roomkeeper.store.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.core.StringRedisTemplate;

import dev.roomkeeper.support.TestRedisExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connections counted across instances: three {@link RedisPresence} objects on one Redis
 * and prefix play three instances.
 */
class RedisPresenceTests {

	@RegisterExtension
	static final TestRedisExtension testRedis = new TestRedisExtension(RedisPresenceTests.class);

	/**
	 * Instances that miss their heart-beats for this long are reaped: short, so reaping
	 * tests are quick, yet long enough that a loaded machine does not reap a live one.
	 */
	private static final Duration TTL = Duration.ofSeconds(2);

	private static int run;

	private final List<String> changes = Collections.synchronizedList(new ArrayList<>());

	private final List<RedisPresence> instances = new ArrayList<>();

	private String prefix;

	@AfterEach
	void closeInstances() {
		this.instances.forEach(RedisPresence::stopHeartbeat);
	}

	private RedisPresence instance() {
		if (this.prefix == null) {
			this.prefix = testRedis.prefix() + (++run) + ":";
		}
		RedisPresence presence = new RedisPresence(testRedis.connectionFactory(), this.prefix, TTL,
				new RedisPresence.Changes() {

					@Override
					public void connected(String code, String memberId) {
						RedisPresenceTests.this.changes.add("connected " + code + " " + memberId);
					}

					@Override
					public void disconnected(String code, String memberId) {
						RedisPresenceTests.this.changes.add("disconnected " + code + " " + memberId);
					}

				});
		this.instances.add(presence);
		presence.start();
		return presence;
	}

	@Test
	void connectionsOnTwoInstancesThenConnectedOnFirstAndDisconnectedOnLast() {
		RedisPresence a = instance();
		RedisPresence b = instance();

		a.opened("ROOM22", "m1");
		b.opened("ROOM22", "m1");
		a.opened("ROOM22", "m1");
		assertThat(b.connections("ROOM22", "m1")).isEqualTo(3);
		a.closed("ROOM22", "m1");
		a.closed("ROOM22", "m1");
		assertThat(this.changes).containsExactly("connected ROOM22 m1");

		b.closed("ROOM22", "m1");

		assertThat(this.changes).containsExactly("connected ROOM22 m1", "disconnected ROOM22 m1");
		assertThat(a.connections("ROOM22", "m1")).isZero();
	}

	@Test
	void connectionOpenedWhileTheFirstHeartbeatRunsIsCountedOnce() {
		// The first heartbeat finds no heartbeat key and counts the instance in again: an
		// open in flight at that moment must not be counted twice.
		for (int i = 0; i < 100; i++) {
			RedisPresence started = instance();
			started.opened("ROOM22", "m" + i);
			assertThat(started.connections("ROOM22", "m" + i)).as("member m%d", i).isEqualTo(1);
		}
	}

	@Test
	void closedWhenNeverOpenedThenNothingIsCountedDown() {
		RedisPresence a = instance();
		RedisPresence b = instance();
		a.opened("ROOM22", "m1");

		b.closed("ROOM22", "m1");

		assertThat(a.connections("ROOM22", "m1")).isEqualTo(1);
		assertThat(this.changes).containsExactly("connected ROOM22 m1");
	}

	@Test
	void instanceWhenItStopsRenewingItsHeartbeatThenItsConnectionsStopCountingOnce() {
		RedisPresence crashing = instance();
		RedisPresence survivor = instance();
		RedisPresence otherSurvivor = instance();
		crashing.opened("ROOM22", "m1");
		crashing.opened("ROOM22", "m2");
		survivor.opened("ROOM22", "m2");

		crashing.stopHeartbeat();

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.changes).contains("disconnected ROOM22 m1"));
		assertThat(survivor.connections("ROOM22", "m1")).isZero();
		assertThat(otherSurvivor.connections("ROOM22", "m2")).isEqualTo(1);
		assertThat(this.changes).containsOnlyOnce("disconnected ROOM22 m1").doesNotContain("disconnected ROOM22 m2");
	}

	@Test
	void redisWhenItLosesTheCountsThenEachInstanceCountsItsConnectionsInAgain() {
		RedisPresence a = instance();
		RedisPresence b = instance();
		a.opened("ROOM22", "m1");
		b.opened("ROOM22", "m1");
		b.opened("ROOM22", "m2");

		StringRedisTemplate redis = new StringRedisTemplate(testRedis.connectionFactory());
		redis.delete(redis.keys(this.prefix + "*"));

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(a.connections("ROOM22", "m1")).isEqualTo(2);
			assertThat(a.connections("ROOM22", "m2")).isEqualTo(1);
		});
	}

	@Test
	void closeThenTheInstancesConnectionsStopCountingAtOnce() {
		RedisPresence a = instance();
		RedisPresence b = instance();
		a.opened("ROOM22", "m1");
		b.opened("ROOM22", "m2");

		a.close();

		assertThat(b.connections("ROOM22", "m1")).isZero();
		assertThat(b.connections("ROOM22", "m2")).isEqualTo(1);
		assertThat(this.changes).endsWith("disconnected ROOM22 m1");
	}

}
