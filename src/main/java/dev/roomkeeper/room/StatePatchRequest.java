package dev.roomkeeper.room;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.roomkeeper.system.JsonFields;

/**
 * {@code {patch, baseVersion?}}: a JSON merge patch (RFC 7386, a JSON object) of the
 * shared state, applied only if {@code baseVersion} is absent or equal to the current
 * version.
 */
public record StatePatchRequest(ObjectNode patch, Long baseVersion) {

	public static StatePatchRequest from(JsonNode body) {
		JsonFields fields = JsonFields.of(body);
		ObjectNode patch = fields.requiredObject("patch").orElse(null);
		Long baseVersion = fields.longValue("baseVersion", 0).orElse(null);
		fields.validate();
		return new StatePatchRequest(patch, baseVersion);
	}

}
