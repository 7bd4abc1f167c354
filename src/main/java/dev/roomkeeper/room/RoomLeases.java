package dev.roomkeeper.room;

import java.time.Duration;

/**
 * Short leases shared by every instance of a store, so that one instance at a time does a
 * room's background work (sending its webhooks). Only stores shared between instances
 * (Redis) implement it; with a local store the one instance needs no lease.
 */
public interface RoomLeases {

	/**
	 * Takes or renews the lease {@code name} for {@code holder} for {@code ttl}.
	 * @return whether {@code holder} holds it now (false: another holder does)
	 */
	boolean tryAcquire(String name, String holder, Duration ttl);

	/** Gives the lease up if {@code holder} holds it. */
	void release(String name, String holder);

}
