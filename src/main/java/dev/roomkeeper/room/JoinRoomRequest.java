package dev.roomkeeper.room;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.roomkeeper.system.JsonFields;

/**
 * {@code POST /api/rooms/{code}/members}: {@code {name, password?, metadata?,
 * ownerToken?}}.
 *
 * @param name display name, 1–32 characters, unique in the room (case-insensitive)
 * @param password the room's password, if it has one
 * @param metadata free-form JSON object (default {})
 * @param ownerToken the room's owner token: the member gets the {@code owner} role
 */
public record JoinRoomRequest(String name, String password, ObjectNode metadata, String ownerToken) {

	public static final int MAX_NAME = 32;

	public static JoinRoomRequest from(JsonNode body) {
		JsonFields fields = JsonFields.of(body);
		String name = fields.requiredString("name", 1, MAX_NAME).orElse(null);
		String password = fields.string("password", 0, CreateRoomRequest.MAX_PASSWORD).orElse(null);
		ObjectNode metadata = fields.object("metadata").orElse(null);
		String ownerToken = fields.string("ownerToken", 1, 200).orElse(null);
		fields.validate();
		return new JoinRoomRequest(name, password, metadata, ownerToken);
	}

}
