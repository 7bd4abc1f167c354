package dev.roomkeeper.ops;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.roomkeeper.store.file.JsonFileRoomRepository;
import dev.roomkeeper.store.memory.InMemoryRoomRepository;

/**
 * The {@code store} component of {@code /actuator/health}, one indicator per store type.
 * <p>
 * Each store type contributes a bean named {@value #BEAN_NAME} (Spring Boot names the
 * component after it): the file store checks its directory, the memory store is up while
 * the server is. A store type added later (Redis: ping and latency) adds its own bean of
 * that name under its {@code rooms.store.type} condition.
 */
@Configuration(proxyBeanMethods = false)
class StoreHealthConfiguration {

	/** The bean name that makes the health component {@code store}. */
	static final String BEAN_NAME = "storeHealthIndicator";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "rooms.store.type", havingValue = "file", matchIfMissing = true)
	static class FileStoreHealthConfiguration {

		@Bean(BEAN_NAME)
		FileStoreHealthIndicator storeHealthIndicator(JsonFileRoomRepository repository) {
			return new FileStoreHealthIndicator(repository, FileStoreHealthIndicator.DEFAULT_MIN_FREE_BYTES);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "rooms.store.type", havingValue = "memory")
	static class MemoryStoreHealthConfiguration {

		@Bean(BEAN_NAME)
		MemoryStoreHealthIndicator storeHealthIndicator(InMemoryRoomRepository repository) {
			return new MemoryStoreHealthIndicator(repository);
		}

	}

}
