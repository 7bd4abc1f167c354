package dev.roomkeeper.store.memory;

import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.store.local.LocalRoomRepository;
import dev.roomkeeper.store.local.LocalRoomTable;

/**
 * Keeps rooms in this process's memory only: fast, and gone on restart. For tests, demos
 * and rooms nobody minds losing. Both durabilities mean "applied".
 */
public class InMemoryRoomRepository extends LocalRoomRepository {

	public InMemoryRoomRepository(RoomEventBus eventBus) {
		super(eventBus);
	}

	/** A store whose rooms keep their last {@code historySize} events (0: none). */
	public InMemoryRoomRepository(RoomEventBus eventBus, int historySize) {
		super(eventBus, historySize);
	}

	@Override
	protected LocalRoomTable.Ticket changed(String code, Durability durability) {
		return LocalRoomTable.Ticket.DONE;
	}

	@Override
	public void flush() {
	}

	@Override
	public String type() {
		return "memory";
	}

}
