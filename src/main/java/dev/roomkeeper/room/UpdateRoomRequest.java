package dev.roomkeeper.room;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.roomkeeper.system.JsonFields;

/**
 * {@code PATCH /api/rooms/{code}}: {@code {name?, maxMembers?, password?, locked?,
 * listed?, settings?}}. Absent fields are left alone; {@code password: null} (or
 * {@code ""}) removes the password; {@code settings} is merged into the current settings
 * as a JSON merge patch (RFC 7386). {@code joinPolicy} and {@code permissions} (only with
 * a server key) replace what they name.
 */
public record UpdateRoomRequest(String name, Integer maxMembers, boolean passwordGiven, String password, Boolean locked,
		Boolean listed, ObjectNode settings, String joinPolicy, RoomAccess.Permissions permissions) {

	public UpdateRoomRequest(String name, Integer maxMembers, boolean passwordGiven, String password, Boolean locked,
			Boolean listed, ObjectNode settings) {
		this(name, maxMembers, passwordGiven, password, locked, listed, settings, null, null);
	}

	public static UpdateRoomRequest from(JsonNode body) {
		JsonFields fields = JsonFields.of(body);
		String name = fields.string("name", 1, CreateRoomRequest.MAX_NAME).orElse(null);
		if (fields.isNull("name")) {
			fields.error("name", "cannot be null");
		}
		Integer maxMembers = fields.integer("maxMembers", 1, CreateRoomRequest.MAX_MEMBERS_LIMIT).orElse(null);
		boolean passwordGiven = fields.has("password");
		String password = fields.string("password", 0, CreateRoomRequest.MAX_PASSWORD)
			.filter((value) -> !value.isEmpty())
			.orElse(null);
		Boolean locked = fields.bool("locked").orElse(null);
		Boolean listed = fields.bool("listed").orElse(null);
		ObjectNode settings = fields.object("settings").orElse(null);
		String joinPolicy = CreateRoomRequest.joinPolicy(fields);
		RoomAccess.Permissions permissions = CreateRoomRequest.permissions(fields);
		fields.validate();
		return new UpdateRoomRequest(name, maxMembers, passwordGiven, password, locked, listed, settings, joinPolicy,
				permissions);
	}

}
