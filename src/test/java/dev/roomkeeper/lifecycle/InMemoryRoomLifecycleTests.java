package dev.roomkeeper.lifecycle;

import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.store.memory.InMemoryRoomRepository;
import dev.roomkeeper.support.MutableClock;

class InMemoryRoomLifecycleTests extends AbstractRoomLifecycleTests {

	@Override
	protected RoomRepository createRepository(RoomEventBus eventBus, JsonMapper jsonMapper, MutableClock clock) {
		return new InMemoryRoomRepository(eventBus);
	}

}
