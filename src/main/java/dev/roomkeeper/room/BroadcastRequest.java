package dev.roomkeeper.room;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.system.JsonFields;

/**
 * {@code {data}}: a message to everyone in the room; {@code data} is any JSON value and
 * is required.
 */
public record BroadcastRequest(JsonNode data) {

	/**
	 * A broadcast body as a live connection sends it: its {@code data} kept as sent when
	 * the body is plain ({@link RawBroadcastData}), else read as a tree and checked as a
	 * REST body is, with the same errors.
	 */
	public static BroadcastRequest read(JsonMapper jsonMapper, byte[] body) {
		JsonNode raw = (body.length == 0) ? null : RawBroadcastData.of(jsonMapper, body);
		return (raw != null) ? new BroadcastRequest(raw) : from(JsonFields.read(jsonMapper, body));
	}

	public static BroadcastRequest from(JsonNode body) {
		JsonFields fields = JsonFields.of(body);
		if (!fields.has("data")) {
			fields.error("data", "is required");
		}
		fields.validate();
		return new BroadcastRequest(fields.value("data").orElseThrow());
	}

}
