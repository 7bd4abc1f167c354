package dev.roomkeeper.webhook;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import dev.roomkeeper.room.RoomLeases;
import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.room.event.RoomEventBus;

/**
 * Webhooks: the endpoints ({@code rooms.webhooks.*}), the outbox in front of the store
 * (the {@link RoomRepository} everyone else is given) and the delivery.
 */
@Configuration(proxyBeanMethods = false)
public class WebhookConfiguration {

	static final String OUTBOX_BEAN = "outboxRoomRepository";

	@Bean
	WebhookEndpoints webhookEndpoints(WebhookProperties properties) {
		return new WebhookEndpoints(properties);
	}

	/** The store, with every change's webhooks written into the room's outbox. */
	@Bean(OUTBOX_BEAN)
	@Primary
	OutboxRoomRepository outboxRoomRepository(ListableBeanFactory beans, WebhookEndpoints endpoints,
			JsonMapper jsonMapper) {
		List<String> stores = Arrays.stream(beans.getBeanNamesForType(RoomRepository.class, false, false))
			.filter((name) -> !name.equals(OUTBOX_BEAN))
			.toList();
		if (stores.size() != 1) {
			throw new IllegalStateException("Expected one room store, found " + stores);
		}
		return new OutboxRoomRepository(beans.getBean(stores.get(0), RoomRepository.class),
				new WebhookRecorder(endpoints, jsonMapper));
	}

	@Bean
	WebhookDelivery webhookDelivery(OutboxRoomRepository rooms, WebhookEndpoints endpoints,
			WebhookProperties properties, RoomEventBus eventBus, ObjectProvider<RoomLeases> leases, Clock clock,
			ObjectProvider<MeterRegistry> meterRegistry) {
		return new WebhookDelivery(rooms, endpoints, properties, eventBus, Optional.ofNullable(leases.getIfUnique()),
				clock, meterRegistry.getIfAvailable(() -> Metrics.globalRegistry));
	}

}
