package dev.roomkeeper.store.memory;

import dev.roomkeeper.store.AbstractRoomRepositoryContractTests;
import dev.roomkeeper.room.RoomRepository;

class InMemoryRoomRepositoryTests extends AbstractRoomRepositoryContractTests {

	@Override
	protected RoomRepository createRepository() {
		return new InMemoryRoomRepository(this.eventBus);
	}

}
