package dev.roomkeeper.room;

import org.junit.jupiter.api.Test;

import dev.roomkeeper.room.RoomProperties.Live.ReadOnPoller;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code rooms.live.read-on-poller}: by default reads move to the poller only where
 * handling a message does not wait on a disk (the memory store, and the Redis store,
 * which writes messages in the background) and there is one processor.
 */
class ReadOnPollerTests {

	@Test
	void autoIsOnOnlyForTheMemoryAndRedisStoresOnOneProcessor() {
		assertThat(ReadOnPoller.AUTO.appliesTo("memory", 1)).isTrue();
		assertThat(ReadOnPoller.AUTO.appliesTo("MEMORY", 1)).isTrue();
		assertThat(ReadOnPoller.AUTO.appliesTo("redis", 1)).isTrue();
		assertThat(ReadOnPoller.AUTO.appliesTo("memory", 2)).isFalse();
		assertThat(ReadOnPoller.AUTO.appliesTo("redis", 2)).isFalse();
		assertThat(ReadOnPoller.AUTO.appliesTo("file", 1)).isFalse();
	}

	@Test
	void onAndOffAreWhatTheySay() {
		assertThat(ReadOnPoller.ON.appliesTo("redis", 8)).isTrue();
		assertThat(ReadOnPoller.OFF.appliesTo("memory", 1)).isFalse();
	}

	@Test
	void theDefaultIsAuto() {
		assertThat(new RoomProperties().getLive().getReadOnPoller()).isEqualTo(ReadOnPoller.AUTO);
	}

}
