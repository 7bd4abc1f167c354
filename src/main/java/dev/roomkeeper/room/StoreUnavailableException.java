package dev.roomkeeper.room;

import java.time.Duration;
import java.util.List;

import dev.roomkeeper.system.ProblemCode;
import dev.roomkeeper.system.RoomkeeperException;

/**
 * The store could not keep a change (disk error, Redis down): answered 503
 * {@code store-unavailable}.
 */
public class StoreUnavailableException extends RoomkeeperException {

	public StoreUnavailableException(String detail, Throwable cause) {
		super(ProblemCode.STORE_UNAVAILABLE, detail, List.of(), Duration.ofSeconds(5), cause);
	}

}
