package dev.roomkeeper.live;

import java.util.ArrayList;
import java.util.List;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopicSubscriptionTests {

	private final List<String> written = new ArrayList<>();

	private final Consumer<byte[]> connection = (bytes) -> write(new String(bytes, StandardCharsets.UTF_8));

	@Test
	void eventsWhileTheSnapshotIsReadAreHeldThenOnlyNewerOnesFollowIt() {
		TopicSubscription subscription = new TopicSubscription("sub:1");
		subscription.deliver(4, frame("e4"), this.connection);
		subscription.deliver(5, frame("e5"), this.connection);
		subscription.deliver(6, frame("e6"), this.connection);
		write("snapshot@5");

		subscription.release(5, this.connection);
		subscription.deliver(7, frame("e7"), this.connection);

		assertThat(this.written).containsExactly("snapshot@5", "e6", "e7");
		assertThat(subscription.escapedId()).isEqualTo("sub\\c1");
	}

	@Test
	void holdingAgainForASnapshotOnRequest() {
		TopicSubscription subscription = new TopicSubscription("s");
		subscription.release(0, this.connection);
		subscription.deliver(1, frame("e1"), this.connection);

		subscription.hold();
		subscription.deliver(2, frame("e2"), this.connection);
		subscription.release(-1, this.connection);

		assertThat(this.written).containsExactly("e1", "e2");
	}

	private void write(String text) {
		this.written.add(text);
	}

	private static byte[] frame(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
