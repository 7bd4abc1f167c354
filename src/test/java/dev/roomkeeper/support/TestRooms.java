package dev.roomkeeper.support;

import java.time.Instant;
import java.util.List;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import dev.roomkeeper.room.Member;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.Secrets;
import dev.roomkeeper.room.event.MemberRole;

/** Rooms and members built directly, for store tests. */
public final class TestRooms {

	private TestRooms() {
	}

	public static Room room(String code, Instant now) {
		return new Room(code, "Room " + code, null, Secrets.hashToken("owner-" + code), false, false, 16, List.of(),
				object(), object(), 0, 0, now, now, null);
	}

	public static Member member(String id, String name, Instant now) {
		return new Member(id, name, MemberRole.MEMBER, Secrets.hashToken("token-" + id), false, now, now, object());
	}

	public static ObjectNode object() {
		return JsonNodeFactory.instance.objectNode();
	}

	public static ObjectNode counter(long value) {
		return object().put("counter", value);
	}

}
