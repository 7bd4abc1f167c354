package dev.roomkeeper.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the fields of a JSON request body and collects every problem, so one
 * {@code invalid-request} answer lists all bad fields at once. Unknown fields are
 * ignored.
 */
public final class JsonFields {

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

	/** Throws one {@code invalid-request} listing every problem found so far. */
	public void validate() {
		if (!this.errors.isEmpty()) {
			throw RoomkeeperException.invalid(this.errors);
		}
	}

}
