package dev.roomkeeper.room;

import java.nio.charset.StandardCharsets;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.util.RawValue;

import dev.roomkeeper.system.JsonFields;

/**
 * The {@code data} of a broadcast body as it was sent, without building it as a tree and
 * writing it out again: one pass over the body's tokens checks it (a JSON object, one
 * {@code data} that is an object or an array, no lone surrogate in any string or field
 * name, nothing after it) and keeps the bytes of {@code data}, which the message event
 * then carries as they are. A live connection sends every message through here.
 * <p>
 * Anything else (a scalar {@code data}, a repeated {@code data}, a line break between
 * tokens, a body that is not valid) is left to the tree reading, which answers it as
 * before: this pass only ever accepts what that reading accepts, with the same
 * {@code data}.
 */
final class RawBroadcastData {

	private RawBroadcastData() {
	}

	/**
	 * The body's {@code data} as raw JSON, or {@code null} when the body is not the plain
	 * case described above.
	 */
	static JsonNode of(JsonMapper jsonMapper, byte[] body) {
		try (JsonParser parser = jsonMapper.createParser(body)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return null;
			}
			int start = -1;
			int end = -1;
			JsonToken token;
			while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
				boolean data = "data".equals(parser.currentName());
				if (!readChecked(parser)) {
					return null;
				}
				JsonToken value = parser.nextToken();
				if (data) {
					if (start >= 0 || (value != JsonToken.START_OBJECT && value != JsonToken.START_ARRAY)) {
						return null;
					}
					start = (int) parser.currentTokenLocation().getByteOffset();
				}
				if (!readChecked(parser)) {
					return null;
				}
				if (data) {
					end = (int) parser.currentLocation().getByteOffset();
				}
			}
			if (token != JsonToken.END_OBJECT || start < 0 || parser.nextToken() != null
					|| hasLineBreak(body, start, end)) {
				return null;
			}
			String raw = new String(body, start, end - start, StandardCharsets.UTF_8);
			return jsonMapper.getNodeFactory().rawValueNode(new RawValue(raw));
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * Reads the current token to the end of its value (a name: the name itself); false if
	 * a string or field name in it holds a lone surrogate.
	 */
	private static boolean readChecked(JsonParser parser) {
		int depth = 0;
		JsonToken token = parser.currentToken();
		while (true) {
			if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
				depth++;
			}
			else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
				depth--;
			}
			else if ((token == JsonToken.VALUE_STRING || token == JsonToken.PROPERTY_NAME) && JsonFields
				.hasLoneSurrogate(parser.getStringCharacters(), parser.getStringOffset(), parser.getStringLength())) {
				return false;
			}
			if (depth == 0) {
				return true;
			}
			token = parser.nextToken();
		}
	}

	/**
	 * Whether whitespace between the tokens breaks a line (inside strings a line break is
	 * always escaped): stores and channels that keep one event per line must not see one.
	 */
	private static boolean hasLineBreak(byte[] body, int start, int end) {
		for (int i = start; i < end; i++) {
			if (body[i] == '\n' || body[i] == '\r') {
				return true;
			}
		}
		return false;
	}

}
