package dev.roomkeeper.room;

/**
 * Counts per client address in fixed one-minute windows, for the per-address limits
 * ({@link AddressLimit}). The local implementation ({@link LocalAddressCounts}) counts on
 * this instance; a store shared by several instances provides one that counts across all
 * of them, so N instances do not allow N times the limit.
 */
public interface AddressCounts {

	/**
	 * Adds one to the address's count under {@code limit} in window {@code window} and
	 * returns the new count.
	 */
	long increment(String limit, String address, long window);

	/** The address's count under {@code limit} in window {@code window} (0 if none). */
	long count(String limit, String address, long window);

}
