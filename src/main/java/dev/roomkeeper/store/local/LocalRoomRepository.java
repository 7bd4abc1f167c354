package dev.roomkeeper.store.local;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomActivity;
import dev.roomkeeper.room.RoomChange;
import dev.roomkeeper.room.RoomHistory;
import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.room.event.RoomEventBus;

/**
 * A {@link RoomRepository} whose rooms live in this process's {@link LocalRoomTable}: the
 * memory and file stores. Every read, update and lifecycle query is the table's; a
 * subclass says only what happens to a changed room ({@link #changed}, e.g. nothing or a
 * write to disk), how to {@link #flush()} and its {@link #type()}. The totals and the
 * activity order of {@link RoomActivity} are the table's too.
 */
public abstract class LocalRoomRepository implements RoomRepository, RoomActivity {

	private final LocalRoomTable table;

	protected LocalRoomRepository(RoomEventBus eventBus) {
		this(eventBus, RoomHistory.DEFAULT_SIZE);
	}

	/** A store whose rooms keep their last {@code historySize} events (0: none). */
	protected LocalRoomRepository(RoomEventBus eventBus, int historySize) {
		this.table = new LocalRoomTable(eventBus, this::changed, historySize);
	}

	/** The rooms, for a subclass that loads them or snapshots them to store. */
	protected final LocalRoomTable table() {
		return this.table;
	}

	/**
	 * Called under the room's lock after every create, update and delete, to store the
	 * change; must not block.
	 * @return what the caller awaits once the lock is released
	 * ({@link LocalRoomTable.Ticket#DONE} for nothing)
	 */
	protected abstract LocalRoomTable.Ticket changed(String code, Durability durability);

	@Override
	public final boolean create(Room room) {
		return this.table.create(room);
	}

	@Override
	public final Optional<Room> find(String code) {
		return this.table.find(code);
	}

	@Override
	public final <R> Optional<R> update(String code, RoomChange<R> change, Durability durability) {
		return this.table.update(code, change, durability);
	}

	@Override
	public final List<Room> findAll() {
		return this.table.findAll();
	}

	@Override
	public final List<Room> findPage(String afterCode, int limit) {
		return this.table.findPage(afterCode, limit);
	}

	@Override
	public final int count() {
		return this.table.count();
	}

	@Override
	public final List<String> findInactiveSince(Instant cutoff, int limit) {
		return this.table.findInactiveSince(cutoff, limit);
	}

	@Override
	public final List<String> findUnwarnedInactiveSince(Instant cutoff, int limit) {
		return this.table.findUnwarnedInactiveSince(cutoff, limit);
	}

	@Override
	public final List<String> findWithMembersDisconnectedSince(Instant cutoff, int limit) {
		return this.table.findWithMembersDisconnectedSince(cutoff, limit);
	}

	@Override
	public final List<String> findWithoutConnectedMembers(int limit) {
		return this.table.findWithoutConnectedMembers(limit);
	}

	@Override
	public final Totals totals() {
		return this.table.totals();
	}

	@Override
	public final Totals totalsInactiveSince(Instant cutoff) {
		return this.table.totalsInactiveSince(cutoff);
	}

	@Override
	public final int countActiveAfter(Instant after) {
		return this.table.countActiveAfter(after);
	}

	@Override
	public final List<Room> findMostRecentlyActive(Instant after, Instant until, int offset, int limit) {
		return this.table.findMostRecentlyActive(after, until, offset, limit);
	}

}
