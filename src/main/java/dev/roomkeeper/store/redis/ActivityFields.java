package dev.roomkeeper.store.redis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.roomkeeper.room.Member;
import dev.roomkeeper.room.Room;

/**
 * The activity fields of a room's hash: what a message moves in a room, stored beside the
 * room's JSON instead of in it, so that a broadcast writes a few short fields instead of
 * the whole room, and broadcasts from several instances into one room do not conflict
 * (written by {@code write-activity.lua}; see {@code write-room.lua} for the hash).
 * <ul>
 * <li>{@code seq}: the room's {@link Room#seq()};
 * <li>{@code at}: its {@link Room#lastActivityAt()} (ISO-8601);
 * <li>{@code seen:<member id>}: a member's {@link Member#lastSeenAt()} (ISO-8601).
 * </ul>
 * A field overrides the JSON's value; a save writes the JSON with the current values and
 * drops the fields.
 */
final class ActivityFields {

	static final String SEQ = "seq";

	static final String AT = "at";

	static final String SEEN = "seen:";

	/** The hash fields that are not activity: the revision and the JSON. */
	static final String REV = "rev";

	static final String ROOM = "room";

	private ActivityFields() {
	}

	/**
	 * The fields an activity write stores for a change from {@code before} to
	 * {@code after}, as name, value, name, value, ...; or {@code null} when the change is
	 * more than activity: anything besides a higher {@code seq}, the last activity and
	 * members' {@code lastSeenAt} differs (a warning cleared, state, members, settings,
	 * webhooks...).
	 */
	static List<String> between(Room before, Room after) {
		if (after.seq() <= before.seq() || !Objects.equals(before.warnedAt(), after.warnedAt())
				|| before.members().size() != after.members().size()) {
			return null;
		}
		Room rest = after.edit()
			.seq(before.seq())
			.lastActivityAt(before.lastActivityAt())
			.members(before.members())
			.build();
		if (!rest.equals(before)) {
			return null;
		}
		List<String> fields = new ArrayList<>(6);
		fields.add(SEQ);
		fields.add(Long.toString(after.seq()));
		if (!after.lastActivityAt().equals(before.lastActivityAt())) {
			fields.add(AT);
			fields.add(after.lastActivityAt().toString());
		}
		for (int i = 0; i < after.members().size(); i++) {
			Member was = before.members().get(i);
			Member now = after.members().get(i);
			if (was != now) {
				if (now.lastSeenAt() == null || !now.equals(was.withPresence(was.connected(), now.lastSeenAt()))) {
					return null;
				}
				fields.add(SEEN + now.id());
				fields.add(now.lastSeenAt().toString());
			}
		}
		return fields;
	}

	/** The room of the JSON with the hash's activity fields applied. */
	static Room applyTo(Room room, Map<String, String> hash) {
		if (hash.size() <= 2) {
			return room;
		}
		Room.Draft draft = room.edit();
		String seq = hash.get(SEQ);
		if (seq != null) {
			draft.seq(Long.parseLong(seq));
		}
		String at = hash.get(AT);
		if (at != null) {
			draft.lastActivityAt(Instant.parse(at));
		}
		List<Member> members = new ArrayList<>(room.members().size());
		for (Member member : room.members()) {
			String seen = hash.get(SEEN + member.id());
			members.add((seen != null) ? member.withPresence(member.connected(), Instant.parse(seen)) : member);
		}
		return draft.members(members).build();
	}

}
