package dev.roomkeeper.live;

import java.util.Locale;

import dev.roomkeeper.room.RoomCodes;

/**
 * The destinations of the live API: {@code /topic/rooms/{code}} (room events),
 * {@code /user/queue/room} (events for one member) and {@code /app/rooms/{code}/{action}}
 * (what a member may SEND).
 */
final class LiveDestinations {

	static final String USER_QUEUE = "/user/queue/room";

	private static final String TOPIC_PREFIX = "/topic/rooms/";

	private static final String APP_PREFIX = "/app/rooms/";

	private LiveDestinations() {
	}

	static String roomTopic(String code) {
		return TOPIC_PREFIX + code;
	}

	/**
	 * The upper-case room code of a {@code /topic/rooms/{code}} destination, or
	 * {@code null} if the destination is not a room topic.
	 */
	static String topicRoom(String destination) {
		if (destination == null || !destination.startsWith(TOPIC_PREFIX)) {
			return null;
		}
		return RoomCodes.normalizeIfValid(destination.substring(TOPIC_PREFIX.length())).orElse(null);
	}

	/** What a SEND may do. */
	enum Action {

		STATE("state"), BROADCAST("broadcast"), PRESENCE("presence"), KEEP_ALIVE("keep-alive"), SNAPSHOT("snapshot");

		private final String path;

		Action(String path) {
			this.path = path;
		}

		static Action of(String path) {
			for (Action action : values()) {
				if (action.path.equals(path)) {
					return action;
				}
			}
			return null;
		}

	}

	/**
	 * A SEND destination understood.
	 *
	 * @param code the upper-case room code, or {@code null} if the destination is not an
	 * application destination
	 * @param action the action, or {@code null} if the destination is under
	 * {@code /app/rooms/} but names no action
	 */
	record AppDestination(String code, Action action) {

		boolean isApp() {
			return this.code != null;
		}

	}

	/** Reads a SEND destination; see {@link AppDestination} for what the parts mean. */
	static AppDestination parseSend(String destination) {
		if (destination == null || !destination.startsWith(APP_PREFIX)) {
			return new AppDestination(null, null);
		}
		String rest = destination.substring(APP_PREFIX.length());
		int slash = rest.indexOf('/');
		String code = (slash < 0) ? rest : rest.substring(0, slash);
		String normalized = RoomCodes.normalizeIfValid(code).orElse(code.toUpperCase(Locale.ROOT));
		Action action = (slash < 0) ? null : Action.of(rest.substring(slash + 1));
		return new AppDestination(normalized, action);
	}

}
