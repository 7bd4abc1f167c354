package dev.roomkeeper.room.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The role of a member: the owner may change, lock, kick and close; members may not. */
public enum MemberRole {

	OWNER, MEMBER;

	@JsonValue
	public String value() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

	@JsonCreator
	public static MemberRole of(String value) {
		return MemberRole.valueOf(value.toUpperCase(java.util.Locale.ROOT));
	}

}
