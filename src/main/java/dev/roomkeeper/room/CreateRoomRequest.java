package dev.roomkeeper.room;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.roomkeeper.system.JsonFields;

/**
 * {@code POST /api/rooms}: {@code {name?, code?, password?, maxMembers?, listed?,
 * settings?, state?}}.
 *
 * @param name display name (1–80 characters; default: the code)
 * @param code a custom code (3–32 of {@code A-Z a-z 0-9 -}); default: a generated one
 * @param password optional password (1–128 characters; an empty string means none)
 * @param maxMembers capacity, 1–1000 (default {@code rooms.max-members})
 * @param listed whether to show in the public listing (default false)
 * @param settings free-form JSON object (default {})
 * @param state initial shared state, a JSON object (default {})
 * @param joinPolicy {@code open} or {@code ticket} (server key only; default open)
 * @param permissions who may change state and send messages (server key only)
 */
public record CreateRoomRequest(String name, String code, String password, Integer maxMembers, boolean listed,
		ObjectNode settings, ObjectNode state, String joinPolicy, RoomAccess.Permissions permissions) {

	public CreateRoomRequest(String name, String code, String password, Integer maxMembers, boolean listed,
			ObjectNode settings, ObjectNode state) {
		this(name, code, password, maxMembers, listed, settings, state, null, null);
	}

	public static final int MAX_NAME = 80;

	public static final int MAX_PASSWORD = 128;

	public static final int MAX_MEMBERS_LIMIT = 1000;

	public static CreateRoomRequest from(JsonNode body) {
		JsonFields fields = JsonFields.of(body);
		String name = fields.string("name", 1, MAX_NAME).orElse(null);
		String code = fields.string("code", 0, 100).orElse(null);
		if (code != null && !RoomCodes.isValid(code)) {
			fields.error("code", "must be 3 to 32 characters of A-Z, a-z, 0-9 and -");
		}
		String password = fields.string("password", 0, MAX_PASSWORD).filter((value) -> !value.isEmpty()).orElse(null);
		Integer maxMembers = fields.integer("maxMembers", 1, MAX_MEMBERS_LIMIT).orElse(null);
		boolean listed = fields.bool("listed").orElse(false);
		ObjectNode settings = fields.object("settings").orElse(null);
		ObjectNode state = fields.object("state").orElse(null);
		String joinPolicy = joinPolicy(fields);
		RoomAccess.Permissions permissions = permissions(fields);
		fields.validate();
		return new CreateRoomRequest(name, code, password, maxMembers, listed, settings, state, joinPolicy,
				permissions);
	}

	/**
	 * Reads {@code joinPolicy} ({@code open} or {@code ticket}) and {@code permissions}
	 * ({@code {state?, broadcast?}}, each {@code members}, {@code owner} or
	 * {@code server}).
	 */
	static RoomAccess.Permissions permissions(JsonFields fields) {
		ObjectNode node = fields.object("permissions").orElse(null);
		if (node == null) {
			return null;
		}
		String state = level(fields, node, "state");
		String broadcast = level(fields, node, "broadcast");
		for (String name : node.propertyNames()) {
			if (!name.equals("state") && !name.equals("broadcast")) {
				fields.error("permissions." + name, "is not a permission (state, broadcast)");
			}
		}
		return new RoomAccess.Permissions(state, broadcast);
	}

	private static String level(JsonFields fields, ObjectNode node, String name) {
		if (!node.has(name)) {
			return null;
		}
		String value = node.get(name).isString() ? node.get(name).asString() : null;
		if (value == null || !RoomAccess.Permissions.isLevel(value)) {
			fields.error("permissions." + name, "must be members, owner or server");
			return null;
		}
		return value;
	}

	static String joinPolicy(JsonFields fields) {
		String value = fields.string("joinPolicy", 1, 20).orElse(null);
		if (value != null && !RoomAccess.isJoinPolicy(value)) {
			fields.error("joinPolicy", "must be open or ticket");
			return null;
		}
		return value;
	}

}
