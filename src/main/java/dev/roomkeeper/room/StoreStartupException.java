package dev.roomkeeper.room;

/**
 * The store cannot start: a bad {@code rooms.store.*} setting, a locked or unreadable
 * directory, an unreachable Redis. Start-up stops with the message, which names the
 * property to fix.
 */
public class StoreStartupException extends IllegalStateException {

	public StoreStartupException(String message) {
		super(message);
	}

	public StoreStartupException(String message, Throwable cause) {
		super(message, cause);
	}

}
