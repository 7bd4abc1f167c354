package dev.roomkeeper.store.memory;

import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.store.AbstractRoomRepositoryIndexTests;
import dev.roomkeeper.store.RoomRepository;

class InMemoryRoomRepositoryIndexTests extends AbstractRoomRepositoryIndexTests {

	@Override
	protected RoomRepository createRepository(RoomEventBus eventBus, JsonMapper jsonMapper) {
		return new InMemoryRoomRepository(eventBus);
	}

}
