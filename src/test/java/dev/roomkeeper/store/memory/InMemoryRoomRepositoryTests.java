package dev.roomkeeper.store.memory;

import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.store.AbstractRoomRepositoryContractTests;

class InMemoryRoomRepositoryTests extends AbstractRoomRepositoryContractTests {

	@Override
	protected RoomRepository createRepository() {
		return new InMemoryRoomRepository(this.eventBus);
	}

}
