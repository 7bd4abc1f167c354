package dev.roomkeeper.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the fields of a JSON request body and collects every problem, so one
 * {@code invalid-request} answer lists all bad fields at once. Unknown fields are
 * ignored.
 * <p>
 * Text that is not Unicode (a lone UTF-16 surrogate) is refused for the whole body by
 * {@link #rejectLoneSurrogates}, which REST applies to every JSON body as it is read.
 */
public final class JsonFields {

	/** The most fields one answer about lone surrogates names. */
	private static final int MAX_SURROGATE_ERRORS = 10;

	private final ObjectNode body;

	private final List<RoomkeeperException.FieldError> errors = new ArrayList<>();

	private JsonFields(ObjectNode body) {
		this.body = body;
	}

	/**
	 * Starts reading a body that must be a JSON object ({@code null} is read as
	 * {@code {}}).
	 */
	public static JsonFields of(JsonNode body) {
		if (body == null || body.isMissingNode() || body.isNull()) {
			return new JsonFields(tools.jackson.databind.node.JsonNodeFactory.instance.objectNode());
		}
		if (!body.isObject()) {
			throw RoomkeeperException.invalid("body", "must be a JSON object");
		}
		return new JsonFields((ObjectNode) body);
	}

	public boolean has(String name) {
		return this.body.has(name);
	}

	/** Whether the field is present with the value {@code null}. */
	public boolean isNull(String name) {
		JsonNode node = this.body.get(name);
		return node != null && node.isNull();
	}

	public void error(String name, String message) {
		this.errors.add(new RoomkeeperException.FieldError(name, message));
	}

	/**
	 * A string of {@code min} to {@code max} characters after trimming; absent or null is
	 * empty.
	 */
	public Optional<String> string(String name, int min, int max) {
		JsonNode node = this.body.get(name);
		if (node == null || node.isNull()) {
			return Optional.empty();
		}
		if (!node.isString()) {
			error(name, "must be a string");
			return Optional.empty();
		}
		String value = node.asString().trim();
		if (value.length() < min || value.length() > max) {
			error(name,
					(min == max) ? "must be " + min + " characters" : "must be " + min + " to " + max + " characters");
			return Optional.empty();
		}
		return Optional.of(value);
	}

	public Optional<String> requiredString(String name, int min, int max) {
		if (!this.body.has(name) || this.body.get(name).isNull()) {
			error(name, "is required");
			return Optional.empty();
		}
		return string(name, min, max);
	}

	public Optional<Integer> integer(String name, int min, int max) {
		JsonNode node = this.body.get(name);
		if (node == null || node.isNull()) {
			return Optional.empty();
		}
		if (!node.isIntegralNumber() || !node.canConvertToInt()) {
			error(name, "must be a whole number");
			return Optional.empty();
		}
		int value = node.asInt();
		if (value < min || value > max) {
			error(name, "must be between " + min + " and " + max);
			return Optional.empty();
		}
		return Optional.of(value);
	}

	public Optional<Long> longValue(String name, long min) {
		JsonNode node = this.body.get(name);
		if (node == null || node.isNull()) {
			return Optional.empty();
		}
		if (!node.isIntegralNumber() || !node.canConvertToLong()) {
			error(name, "must be a whole number");
			return Optional.empty();
		}
		long value = node.asLong();
		if (value < min) {
			error(name, "must be at least " + min);
			return Optional.empty();
		}
		return Optional.of(value);
	}

	public Optional<Boolean> bool(String name) {
		JsonNode node = this.body.get(name);
		if (node == null || node.isNull()) {
			return Optional.empty();
		}
		if (!node.isBoolean()) {
			error(name, "must be true or false");
			return Optional.empty();
		}
		return Optional.of(node.asBoolean());
	}

	/** A JSON object; absent or null is empty. */
	public Optional<ObjectNode> object(String name) {
		JsonNode node = this.body.get(name);
		if (node == null || node.isNull()) {
			return Optional.empty();
		}
		if (!node.isObject()) {
			error(name, "must be a JSON object");
			return Optional.empty();
		}
		return Optional.of((ObjectNode) node);
	}

	public Optional<ObjectNode> requiredObject(String name) {
		if (!this.body.has(name) || this.body.get(name).isNull()) {
			error(name, "is required");
			return Optional.empty();
		}
		return object(name);
	}

	/** Any JSON value, {@code null} included; empty only when absent. */
	public Optional<JsonNode> value(String name) {
		return Optional.ofNullable(this.body.get(name));
	}

	/**
	 * A request body's bytes as a tree, checked as REST checks a body
	 * ({@link #rejectLoneSurrogates}); {@code null} when there are none. For readers of
	 * JSON input other than REST (the live API).
	 */
	public static JsonNode read(JsonMapper jsonMapper, byte[] body) {
		JsonNode json = (body.length == 0) ? null : jsonMapper.readTree(body);
		rejectLoneSurrogates(json);
		return json;
	}

	/**
	 * Refuses JSON whose strings or field names, at any depth, hold a lone UTF-16
	 * surrogate (e.g. the escape {@code "\ud800"} without its low half): such text is not
	 * Unicode, cannot be written as UTF-8, and strict clients cannot read it back. A
	 * surrogate pair (an emoji) is fine. REST request bodies are checked as they are
	 * read; other readers of JSON input (the live API) call this themselves.
	 * @param json a request body, or {@code null}
	 * @throws RoomkeeperException {@code invalid-request} whose {@code errors} name the
	 * fields (e.g. {@code name}, {@code patch.items[2]}; for a bad field name, the object
	 * holding it, {@code body} at the top), at most ten
	 */
	public static void rejectLoneSurrogates(JsonNode json) {
		if (json == null) {
			return;
		}
		List<RoomkeeperException.FieldError> errors = new ArrayList<>();
		findLoneSurrogates(json, "", errors);
		if (!errors.isEmpty()) {
			throw RoomkeeperException.invalid(errors);
		}
	}

	private static void findLoneSurrogates(JsonNode node, String path, List<RoomkeeperException.FieldError> errors) {
		String field = path.isEmpty() ? "body" : path;
		if (node.isString()) {
			if (hasLoneSurrogate(node.asString())) {
				errors.add(new RoomkeeperException.FieldError(field, "contains a lone UTF-16 surrogate"));
			}
		}
		else if (node.isObject()) {
			for (Map.Entry<String, JsonNode> property : node.properties()) {
				if (errors.size() >= MAX_SURROGATE_ERRORS) {
					return;
				}
				String name = property.getKey();
				if (hasLoneSurrogate(name)) {
					errors.add(
							new RoomkeeperException.FieldError(field, "has a field name with a lone UTF-16 surrogate"));
				}
				else {
					findLoneSurrogates(property.getValue(), path.isEmpty() ? name : path + "." + name, errors);
				}
			}
		}
		else if (node.isArray()) {
			for (int i = 0; i < node.size() && errors.size() < MAX_SURROGATE_ERRORS; i++) {
				findLoneSurrogates(node.get(i), field + "[" + i + "]", errors);
			}
		}
	}

	/**
	 * Whether the text holds a high surrogate not followed by a low one, or a low
	 * surrogate not preceded by a high one.
	 */
	public static boolean hasLoneSurrogate(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * {@link #hasLoneSurrogate(String)} of {@code length} characters from {@code offset}.
	 */
	public static boolean hasLoneSurrogate(char[] text, int offset, int length) {
		int end = offset + length;
		for (int i = offset; i < end; i++) {
			char c = text[i];
			if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text[i + 1])) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return true;
			}
		}
		return false;
	}

	/** Throws one {@code invalid-request} listing every problem found so far. */
	public void validate() {
		if (!this.errors.isEmpty()) {
			throw RoomkeeperException.invalid(this.errors);
		}
	}

}
