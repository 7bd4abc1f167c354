package dev.roomkeeper.room;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.roomkeeper.system.RoomkeeperException;

/**
 * At most {@code perMinute} counted requests per client address in each minute of the
 * clock (fixed windows, so an address may get up to twice the limit across the turn of a
 * minute); past that, {@link #check} answers {@code rate-limited} with
 * {@code Retry-After} until the next minute begins.
 */
public final class AddressLimit {

	private static final long WINDOW_MILLIS = Duration.ofMinutes(1).toMillis();

	private final AddressCounts counts;

	private final String name;

	private final int perMinute;

	private final Clock clock;

	private final String message;

	/**
	 * @param name names the limit among others counted in the same {@link AddressCounts}
	 * @param message the detail of the {@code rate-limited} answer
	 */
	public AddressLimit(AddressCounts counts, String name, int perMinute, Clock clock, String message) {
		this.counts = counts;
		this.name = name;
		this.perMinute = perMinute;
		this.clock = clock;
		this.message = message;
	}

	/** Throws {@code rate-limited} if the address used up this minute's requests. */
	public void check(String address) {
		Instant now = this.clock.instant();
		if (this.counts.count(this.name, address, window(now)) >= this.perMinute) {
			throw limited(now);
		}
	}

	/** Counts one request of the address. */
	public void record(String address) {
		this.counts.increment(this.name, address, window(this.clock.instant()));
	}

	/**
	 * Counts one request of the address and throws {@code rate-limited} if it is over
	 * this minute's limit.
	 */
	public void checkAndRecord(String address) {
		Instant now = this.clock.instant();
		if (this.counts.increment(this.name, address, window(now)) > this.perMinute) {
			throw limited(now);
		}
	}

	private RoomkeeperException limited(Instant now) {
		long untilNextWindow = WINDOW_MILLIS - Math.floorMod(now.toEpochMilli(), WINDOW_MILLIS);
		return RoomkeeperException.rateLimited(this.message, Duration.ofMillis(untilNextWindow));
	}

	private static long window(Instant now) {
		return Math.floorDiv(now.toEpochMilli(), WINDOW_MILLIS);
	}

}
