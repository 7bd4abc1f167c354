package dev.roomkeeper.store;

import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.store.memory.InMemoryRoomRepository;

class InMemoryRoomRepositoryPagingTests extends AbstractRoomPagingContractTests {

	@Override
	protected RoomRepository createRepository() {
		return new InMemoryRoomRepository(new RoomEventBus(JsonMapper.builder().build()));
	}

}
