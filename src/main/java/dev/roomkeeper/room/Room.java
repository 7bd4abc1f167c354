package dev.roomkeeper.room;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.annotation.JsonCreator;
import tools.jackson.databind.node.ObjectNode;

/**
 * A room as it is stored: immutable, holding only hashes of its secrets.
 * <p>
 * {@code version} grows by one on every state change; {@code seq} grows by one on every
 * room event. {@code settings}, {@code state} and member {@code metadata} are JSON
 * objects that are never mutated once they are part of a room: changes build new copies.
 *
 * @param code upper-case room code
 * @param name display name
 * @param passwordHash bcrypt hash of the password, or {@code null}
 * @param ownerTokenHash SHA-256 of the owner token
 * @param locked whether new members are refused
 * @param listed whether the room shows in the public listing (when it has no password)
 * @param maxMembers capacity
 * @param members members in join order
 * @param settings free-form settings
 * @param state free-form shared state
 * @param version state version
 * @param seq number of the last room event
 * @param createdAt creation time
 * @param lastActivityAt time of the last activity
 * @param warnedAt when the closing-soon warning was sent for the current idle period, or
 * {@code null}
 * @param access who may join and act ({@code joinPolicy}, {@code permissions}); never
 * {@code null} (a room stored without it gets {@link RoomAccess#DEFAULT})
 * @param webhooks the room's webhook outbox, stored with every write of the room; never
 * {@code null} (a room stored without it gets {@link RoomWebhooks#NONE})
 * @param history the room's recent events and their epoch ({@link RoomHistory}); a room
 * stored without one gets an empty history under a new epoch
 */
public record Room(String code, String name, String passwordHash, String ownerTokenHash, boolean locked, boolean listed,
		int maxMembers, List<Member> members, ObjectNode settings, ObjectNode state, long version, long seq,
		Instant createdAt, Instant lastActivityAt, Instant warnedAt, RoomAccess access, RoomWebhooks webhooks,
		RoomHistory history) {

	@JsonCreator
	public Room {
		members = List.copyOf(members);
		access = (access != null) ? access : RoomAccess.DEFAULT;
		webhooks = (webhooks != null) ? webhooks : RoomWebhooks.NONE;
		if (history == null) {
			history = RoomHistory.fresh();
		}
	}

	/**
	 * A room with the default access, no webhooks and an empty history under a new epoch.
	 */
	public Room(String code, String name, String passwordHash, String ownerTokenHash, boolean locked, boolean listed,
			int maxMembers, List<Member> members, ObjectNode settings, ObjectNode state, long version, long seq,
			Instant createdAt, Instant lastActivityAt, Instant warnedAt) {
		this(code, name, passwordHash, ownerTokenHash, locked, listed, maxMembers, members, settings, state, version,
				seq, createdAt, lastActivityAt, warnedAt, RoomAccess.DEFAULT, RoomWebhooks.NONE, null);
	}

	/** The member who joined with a ticket for this app user id, if any. */
	public Optional<Member> memberByUserId(String userId) {
		for (Member member : this.members) {
			if (userId.equals(member.userId())) {
				return Optional.of(member);
			}
		}
		return Optional.empty();
	}

	/** A copy with another access ({@code joinPolicy}, {@code permissions}). */
	public Room withAccess(RoomAccess access) {
		return edit().access(access).build();
	}

	/** A copy with another webhook outbox. */
	public Room withWebhooks(RoomWebhooks webhooks) {
		return edit().webhooks(webhooks).build();
	}

	/** The epoch of the room's history (see {@link RoomHistory}). */
	public String epoch() {
		return this.history.epoch();
	}

	/** A copy with another history. */
	public Room withHistory(RoomHistory history) {
		return edit().history(history).build();
	}

	public boolean hasPassword() {
		return this.passwordHash != null;
	}

	public Optional<Member> member(String memberId) {
		for (Member member : this.members) {
			if (member.id().equals(memberId)) {
				return Optional.of(member);
			}
		}
		return Optional.empty();
	}

	public Optional<Member> memberByTokenHash(String tokenHash) {
		for (Member member : this.members) {
			if (member.holdsTokenHash(tokenHash)) {
				return Optional.of(member);
			}
		}
		return Optional.empty();
	}

	public boolean isNameTaken(String name) {
		String wanted = name.toLowerCase(Locale.ROOT);
		return this.members.stream().anyMatch((member) -> member.name().toLowerCase(Locale.ROOT).equals(wanted));
	}

	public long connectedCount() {
		// a loop, not a stream: the store's indexes ask on every change
		long connected = 0;
		for (Member member : this.members) {
			if (member.connected()) {
				connected++;
			}
		}
		return connected;
	}

	public Instant expiresAt(Duration idleTimeout) {
		return this.lastActivityAt.plus(idleTimeout);
	}

	/** A copy with one more event: {@code seq + 1}. */
	public Room nextSeq() {
		return edit().seq(this.seq + 1).build();
	}

	/** A copy that records activity at {@code now}, clearing a pending warning. */
	public Room touched(Instant now) {
		return edit().lastActivityAt(now).warnedAt(null).build();
	}

	/**
	 * A copy that records activity by {@code caller} at {@code now}: {@link #touched},
	 * and, when the caller is a member, that member seen at {@code now} (its
	 * {@code lastSeenAt}, which keeps a member who acts only over REST from going stale).
	 * The bare owner token is no member: only the room is touched.
	 */
	public Room touchedBy(Caller caller, Instant now) {
		return editTouchedBy(caller, now).build();
	}

	/**
	 * {@link #touchedBy} as a draft, for a change that sets more fields (one copy of the
	 * room instead of one per field: this runs on every message).
	 */
	public Draft editTouchedBy(Caller caller, Instant now) {
		Draft draft = edit().lastActivityAt(now).warnedAt(null);
		if (caller.memberId() != null) {
			draft.members(membersWith(caller.memberId(), (member) -> member.withPresence(member.connected(), now)));
		}
		return draft;
	}

	public Room withMember(String memberId, UnaryOperator<Member> change) {
		return edit().members(membersWith(memberId, change)).build();
	}

	private List<Member> membersWith(String memberId, UnaryOperator<Member> change) {
		Member[] updated = new Member[this.members.size()];
		for (int i = 0; i < updated.length; i++) {
			Member member = this.members.get(i);
			updated[i] = member.id().equals(memberId) ? change.apply(member) : member;
		}
		return List.of(updated);
	}

	public Room withoutMember(String memberId) {
		return edit().members(this.members.stream().filter((member) -> !member.id().equals(memberId)).toList()).build();
	}

	public Room withAddedMember(Member member) {
		List<Member> updated = new ArrayList<>(this.members);
		updated.add(member);
		return edit().members(updated).build();
	}

	public Draft edit() {
		return new Draft(this);
	}

	/** A mutable copy of a room, for changes that touch several fields. */
	public static final class Draft {

		private String code;

		private String name;

		private String passwordHash;

		private String ownerTokenHash;

		private boolean locked;

		private boolean listed;

		private int maxMembers;

		private List<Member> members;

		private ObjectNode settings;

		private ObjectNode state;

		private long version;

		private long seq;

		private Instant createdAt;

		private Instant lastActivityAt;

		private Instant warnedAt;

		private RoomAccess access;

		private RoomWebhooks webhooks;

		private RoomHistory history;

		private Draft(Room room) {
			this.code = room.code;
			this.name = room.name;
			this.passwordHash = room.passwordHash;
			this.ownerTokenHash = room.ownerTokenHash;
			this.locked = room.locked;
			this.listed = room.listed;
			this.maxMembers = room.maxMembers;
			this.members = room.members;
			this.settings = room.settings;
			this.state = room.state;
			this.version = room.version;
			this.seq = room.seq;
			this.createdAt = room.createdAt;
			this.lastActivityAt = room.lastActivityAt;
			this.warnedAt = room.warnedAt;
			this.access = room.access;
			this.webhooks = room.webhooks;
			this.history = room.history;
		}

		public Draft access(RoomAccess access) {
			this.access = access;
			return this;
		}

		public Draft webhooks(RoomWebhooks webhooks) {
			this.webhooks = webhooks;
			return this;
		}

		public Draft name(String name) {
			this.name = name;
			return this;
		}

		public Draft passwordHash(String passwordHash) {
			this.passwordHash = passwordHash;
			return this;
		}

		public Draft locked(boolean locked) {
			this.locked = locked;
			return this;
		}

		public Draft listed(boolean listed) {
			this.listed = listed;
			return this;
		}

		public Draft maxMembers(int maxMembers) {
			this.maxMembers = maxMembers;
			return this;
		}

		public Draft members(List<Member> members) {
			this.members = members;
			return this;
		}

		public Draft settings(ObjectNode settings) {
			this.settings = settings;
			return this;
		}

		public Draft state(ObjectNode state) {
			this.state = state;
			return this;
		}

		public Draft version(long version) {
			this.version = version;
			return this;
		}

		public Draft seq(long seq) {
			this.seq = seq;
			return this;
		}

		public Draft lastActivityAt(Instant lastActivityAt) {
			this.lastActivityAt = lastActivityAt;
			return this;
		}

		public Draft warnedAt(Instant warnedAt) {
			this.warnedAt = warnedAt;
			return this;
		}

		public Draft history(RoomHistory history) {
			this.history = history;
			return this;
		}

		public Room build() {
			return new Room(this.code, this.name, this.passwordHash, this.ownerTokenHash, this.locked, this.listed,
					this.maxMembers, this.members, this.settings, this.state, this.version, this.seq, this.createdAt,
					this.lastActivityAt, this.warnedAt, this.access, this.webhooks, this.history);
		}

	}

}
