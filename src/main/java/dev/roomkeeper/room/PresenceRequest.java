package dev.roomkeeper.room;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.roomkeeper.system.JsonFields;

/** {@code {metadata}}: the member's new metadata (a JSON object), replacing the old. */
public record PresenceRequest(ObjectNode metadata) {

	public static PresenceRequest from(JsonNode body) {
		JsonFields fields = JsonFields.of(body);
		ObjectNode metadata = fields.requiredObject("metadata").orElse(null);
		fields.validate();
		return new PresenceRequest(metadata);
	}

}
