package dev.roomkeeper.room;

import tools.jackson.databind.JsonNode;

import dev.roomkeeper.system.JsonFields;

/**
 * {@code {data}}: a message to everyone in the room; {@code data} is any JSON value and
 * is required.
 */
public record BroadcastRequest(JsonNode data) {

	public static BroadcastRequest from(JsonNode body) {
		JsonFields fields = JsonFields.of(body);
		if (!fields.has("data")) {
			fields.error("data", "is required");
		}
		fields.validate();
		return new BroadcastRequest(fields.value("data").orElseThrow());
	}

}
