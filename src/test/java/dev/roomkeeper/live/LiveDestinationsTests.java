package dev.roomkeeper.live;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LiveDestinationsTests {

	@Test
	void roomTopicCodesAreNormalised() {
		assertThat(LiveDestinations.topicRoom("/topic/rooms/abc234")).isEqualTo("ABC234");
		assertThat(LiveDestinations.topicRoom("/topic/rooms/a/b")).isNull();
		assertThat(LiveDestinations.topicRoom("/topic/other/ABC234")).isNull();
		assertThat(LiveDestinations.topicRoom(null)).isNull();
	}

	@Test
	void sendDestinations() {
		assertThat(LiveDestinations.parseSend("/app/rooms/abc234/state"))
			.isEqualTo(new LiveDestinations.AppDestination("ABC234", LiveDestinations.Action.STATE));
		assertThat(LiveDestinations.parseSend("/app/rooms/ABC234/keep-alive").action())
			.isEqualTo(LiveDestinations.Action.KEEP_ALIVE);
		assertThat(LiveDestinations.parseSend("/app/rooms/ABC234/state/extra").action()).isNull();
		assertThat(LiveDestinations.parseSend("/app/rooms/ABC234").action()).isNull();
		assertThat(LiveDestinations.parseSend("/app/rooms/ABC234").isApp()).isTrue();
		assertThat(LiveDestinations.parseSend("/topic/rooms/ABC234").isApp()).isFalse();
		assertThat(LiveDestinations.parseSend(null).isApp()).isFalse();
	}

}
