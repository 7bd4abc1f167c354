package dev.roomkeeper.store;

/** How long {@link RoomRepository#update} waits for a change to be stored. */
public enum Durability {

	/** Return once the change is stored (REST calls: a 2xx survives {@code kill -9}). */
	DURABLE,

	/**
	 * Return at once; the change is stored within {@code rooms.store.flush-interval}
	 * (STOMP).
	 */
	DEFERRED

}
