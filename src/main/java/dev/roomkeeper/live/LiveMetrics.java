package dev.roomkeeper.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Counters of the live API, when a {@link MeterRegistry} is present:
 * {@code roomkeeper.messages.in} (SEND frames received) and
 * {@code roomkeeper.messages.out} (frames written to clients, heart-beats not counted).
 */
@Component
class LiveMetrics {

	private final Counter messagesIn;

	private final Counter messagesOut;

	LiveMetrics(ObjectProvider<MeterRegistry> registry) {
		MeterRegistry meters = registry.getIfAvailable();
		this.messagesIn = (meters != null)
				? Counter.builder("roomkeeper.messages.in").description("STOMP SEND frames received").register(meters)
				: null;
		this.messagesOut = (meters != null) ? Counter.builder("roomkeeper.messages.out")
			.description("STOMP frames delivered to clients")
			.register(meters) : null;
	}

	void messageIn() {
		if (this.messagesIn != null) {
			this.messagesIn.increment();
		}
	}

	void messagesOut(int frames) {
		if (this.messagesOut != null) {
			this.messagesOut.increment(frames);
		}
	}

}
