package dev.roomkeeper.store.memory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.event.RoomEventBus;
import dev.roomkeeper.store.Durability;
import dev.roomkeeper.store.RoomChange;
import dev.roomkeeper.store.RoomRepository;
import dev.roomkeeper.store.local.LocalRoomTable;

/**
 * Keeps rooms in this process's memory only: fast, and gone on restart. For tests, demos
 * and rooms nobody minds losing. Both durabilities mean "applied".
 */
public class InMemoryRoomRepository implements RoomRepository {

	private final LocalRoomTable table;

	public InMemoryRoomRepository(RoomEventBus eventBus) {
		this.table = new LocalRoomTable(eventBus, (code, durability) -> LocalRoomTable.Ticket.DONE);
	}

	@Override
	public boolean create(Room room) {
		return this.table.create(room);
	}

	@Override
	public Optional<Room> find(String code) {
		return this.table.find(code);
	}

	@Override
	public <R> Optional<R> update(String code, RoomChange<R> change, Durability durability) {
		return this.table.update(code, change, durability);
	}

	@Override
	public List<Room> findAll() {
		return this.table.findAll();
	}

	@Override
	public List<Room> findPage(String afterCode, int limit) {
		return this.table.findPage(afterCode, limit);
	}

	@Override
	public int count() {
		return this.table.count();
	}

	@Override
	public List<String> findInactiveSince(Instant cutoff, int limit) {
		return this.table.findInactiveSince(cutoff, limit);
	}

	@Override
	public List<String> findUnwarnedInactiveSince(Instant cutoff, int limit) {
		return this.table.findUnwarnedInactiveSince(cutoff, limit);
	}

	@Override
	public List<String> findWithMembersDisconnectedSince(Instant cutoff, int limit) {
		return this.table.findWithMembersDisconnectedSince(cutoff, limit);
	}

	@Override
	public List<String> findWithoutConnectedMembers(int limit) {
		return this.table.findWithoutConnectedMembers(limit);
	}

	@Override
	public void flush() {
	}

	@Override
	public String type() {
		return "memory";
	}

}
