package dev.roomkeeper.room;

/** How long {@link RoomRepository#update} waits for a change to be stored. */
public enum Durability {

	/** Return once the change is stored (REST calls: a 2xx survives {@code kill -9}). */
	DURABLE,

	/**
	 * Return at once; the change is stored within {@code rooms.store.flush-interval}
	 * (STOMP).
	 */
	DEFERRED,

	/**
	 * Return at once; the change only records activity (a broadcast's {@code seq} and
	 * {@code lastActivityAt}, a keep-alive, who was last seen) and is stored within
	 * {@code rooms.store.activity-flush-interval}, with the room's next other change, or
	 * on a graceful shutdown, whichever comes first (STOMP broadcasts and keep-alives).
	 * After a crash such a room's {@code seq} and activity times may be that much older;
	 * clients reconnect and take the snapshot's {@code seq}.
	 */
	ACTIVITY

}
