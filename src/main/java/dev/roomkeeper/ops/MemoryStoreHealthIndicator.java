package dev.roomkeeper.ops;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import dev.roomkeeper.store.memory.InMemoryRoomRepository;

/**
 * Health of the memory store: UP while the server runs. Details: {@code type} and
 * {@code rooms}.
 */
class MemoryStoreHealthIndicator extends AbstractHealthIndicator {

	private final InMemoryRoomRepository repository;

	MemoryStoreHealthIndicator(InMemoryRoomRepository repository) {
		this.repository = repository;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.up().withDetail("type", "memory").withDetail("rooms", this.repository.count());
	}

}
