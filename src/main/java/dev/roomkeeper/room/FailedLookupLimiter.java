package dev.roomkeeper.room;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Limits guessing: each client address may fail
 * {@code rooms.limits.failed-joins-per-minute} look-ups ({@code room-not-found},
 * {@code wrong-password}, a live token that is not an open room's, a wrong admin token)
 * in each minute; past that every join or look-up from the address answers
 * {@code rate-limited} with {@code Retry-After} until the next minute. Failures are
 * counted by the {@link AddressCounts} bean if there is one (the Redis store's, shared by
 * every instance), else on this instance.
 */
@Component
public class FailedLookupLimiter {

	static final String NAME = "failed-lookups";

	private final AddressLimit limit;

	@Autowired
	public FailedLookupLimiter(RoomProperties properties, Clock clock, ObjectProvider<AddressCounts> counts) {
		this(properties, clock, counts.getIfAvailable(LocalAddressCounts::new));
	}

	/** A limiter that counts on this instance. */
	public FailedLookupLimiter(RoomProperties properties, Clock clock) {
		this(properties, clock, new LocalAddressCounts());
	}

	private FailedLookupLimiter(RoomProperties properties, Clock clock, AddressCounts counts) {
		this.limit = new AddressLimit(counts, NAME, properties.getLimits().getFailedJoinsPerMinute(), clock,
				"Too many failed look-ups from this address; try again later");
	}

	/** Throws {@code rate-limited} if the address used up its failures. */
	public void check(String address) {
		this.limit.check(address);
	}

	/** Counts one failed look-up for the address. */
	public void recordFailure(String address) {
		this.limit.record(address);
	}

}
