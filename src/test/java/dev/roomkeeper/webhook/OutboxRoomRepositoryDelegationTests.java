package dev.roomkeeper.webhook;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import org.junit.jupiter.api.Test;

import dev.roomkeeper.room.RoomRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox stands in front of the configured store: it must pass on every method of the
 * repository contract, default methods included (a default would silently skip what the
 * store does, e.g. Redis reading a room's history list).
 */
class OutboxRoomRepositoryDelegationTests {

	@Test
	void everyRepositoryMethodIsImplementedByTheOutboxItself() throws Exception {
		for (Method method : RoomRepository.class.getMethods()) {
			if (Modifier.isStatic(method.getModifiers())) {
				continue;
			}
			Method implementation = OutboxRoomRepository.class.getMethod(method.getName(), method.getParameterTypes());
			assertThat(implementation.getDeclaringClass()).as(method.getName()).isEqualTo(OutboxRoomRepository.class);
		}
	}

}
