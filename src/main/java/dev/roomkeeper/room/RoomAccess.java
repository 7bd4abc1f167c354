package dev.roomkeeper.room;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Who may join a room and act in it: {@code joinPolicy} ({@code open}: code and password;
 * {@code ticket}: only a valid join ticket) and {@code permissions} (who may change the
 * state and who may send messages). Set at creation or changed later only with a server
 * key.
 *
 * @param joinPolicy {@code open} or {@code ticket}
 * @param permissions who may change the state and broadcast
 */
public record RoomAccess(String joinPolicy, Permissions permissions) {

	public static final String OPEN = "open";

	public static final String TICKET = "ticket";

	/**
	 * Anyone with the code (and password) joins; every member may change state and send.
	 */
	public static final RoomAccess DEFAULT = new RoomAccess(OPEN, Permissions.DEFAULT);

	public RoomAccess {
		joinPolicy = (joinPolicy != null) ? joinPolicy : OPEN;
		permissions = (permissions != null) ? permissions.withDefaults() : Permissions.DEFAULT;
	}

	@JsonIgnore
	public boolean ticketOnly() {
		return TICKET.equals(this.joinPolicy);
	}

	public static boolean isJoinPolicy(String value) {
		return OPEN.equals(value) || TICKET.equals(value);
	}

	/**
	 * Who may change the state ({@code state}) and send messages ({@code broadcast}):
	 * each {@code members} (every member, the owner and the server), {@code owner} (the
	 * owner and the server) or {@code server} (only a server key).
	 */
	public record Permissions(String state, String broadcast) {

		public static final String MEMBERS = "members";

		public static final String OWNER = "owner";

		public static final String SERVER = "server";

		public static final Permissions DEFAULT = new Permissions(MEMBERS, MEMBERS);

		/** These permissions with {@code members} for each one not given. */
		public Permissions withDefaults() {
			return new Permissions((this.state != null) ? this.state : MEMBERS,
					(this.broadcast != null) ? this.broadcast : MEMBERS);
		}

		public static boolean isLevel(String value) {
			return MEMBERS.equals(value) || OWNER.equals(value) || SERVER.equals(value);
		}

		/** Whether a caller holds the given level. */
		public static boolean allows(String level, Caller caller) {
			if (level == null) {
				return true;
			}
			return switch (level.toLowerCase(Locale.ROOT)) {
				case SERVER -> caller.server();
				case OWNER -> caller.owner();
				default -> true;
			};
		}

	}

}
