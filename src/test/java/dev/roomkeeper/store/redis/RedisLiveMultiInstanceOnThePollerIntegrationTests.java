package dev.roomkeeper.store.redis;

import java.util.List;

/**
 * {@link RedisLiveMultiInstanceIntegrationTests} with both servers reading their live
 * connections on Tomcat's poller thread ({@code rooms.live.read-on-poller=on}), where a
 * broadcast is written to Redis in the background.
 */
class RedisLiveMultiInstanceOnThePollerIntegrationTests extends RedisLiveMultiInstanceIntegrationTests {

	@Override
	protected List<String> serverProperties() {
		return List.of("rooms.live.read-on-poller=on");
	}

}
