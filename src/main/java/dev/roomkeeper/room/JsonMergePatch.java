package dev.roomkeeper.room;

import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * RFC 7386 JSON merge patch, without mutating its input: unchanged branches of the target
 * are shared with the result, so a small patch of a large state costs little.
 */
public final class JsonMergePatch {

	private JsonMergePatch() {
	}

	public static ObjectNode apply(ObjectNode target, ObjectNode patch) {
		return (ObjectNode) merge(target, patch);
	}

	private static JsonNode merge(JsonNode target, JsonNode patch) {
		if (!patch.isObject()) {
			return patch;
		}
		ObjectNode result = JsonNodeFactory.instance.objectNode();
		if (target != null && target.isObject()) {
			result.setAll((ObjectNode) target);
		}
		for (Map.Entry<String, JsonNode> field : patch.properties()) {
			if (field.getValue().isNull()) {
				result.remove(field.getKey());
			}
			else {
				result.set(field.getKey(), merge(result.get(field.getKey()), field.getValue()));
			}
		}
		return result;
	}

}
