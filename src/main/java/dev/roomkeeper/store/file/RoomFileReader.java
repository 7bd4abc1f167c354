package dev.roomkeeper.store.file;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.ConfigOverride;
import tools.jackson.databind.node.ObjectNode;

import dev.roomkeeper.room.HistoryEvent;
import dev.roomkeeper.room.Member;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomAccess;
import dev.roomkeeper.room.RoomHistory;
import dev.roomkeeper.room.RoomWebhooks;
import dev.roomkeeper.room.event.MemberRole;

/**
 * Reads a room in the exact layout the store writes it, without Jackson's general-purpose
 * databinding: the properties of {@link Room} and the records inside it in the order the
 * store writes them, each with the token type the store writes (a string, a boolean, an
 * integer that fits, an array of objects, {@code null} only where Jackson reads it as
 * {@code null}), the records built by their constructors. Property names are matched
 * against their expected bytes ({@code nextName(SerializableString)}), not looked up.
 * Free-form JSON ({@code settings}, {@code state}, member {@code metadata}), instants and
 * history events are read by the very deserializers Jackson's path uses (from the same
 * context), so they come out the same.
 * <p>
 * Anything else (another order, an unknown, missing or repeated property, another token
 * type, a {@code null} where the store writes none, trailing content, a constructor that
 * throws, null handling configured otherwise) is not this reader's: it answers
 * {@code null} and the caller reads the JSON Jackson's way, as before, so what loads and
 * what fails, and how, is unchanged.
 * <p>
 * It is the deserializer of {@link Layout}, read through the same mapper as the rooms.
 */
final class RoomFileReader extends ValueDeserializer<RoomFileReader.Layout> {

	/** What this reader reads: a room in the store's shape. */
	record Layout(Room room) {
	}

	/** Thrown (without a stack) when the input is not in the store's shape. */
	private static final class NotTheLayout extends RuntimeException {

		NotTheLayout() {
			super("not the store's layout", null, false, false);
		}

	}

	private static final NotTheLayout NOT_THE_LAYOUT = new NotTheLayout();

	private static final SerializableString[] ROOM = names("code", "name", "passwordHash", "ownerTokenHash", "locked",
			"listed", "maxMembers", "members", "settings", "state", "version", "seq", "createdAt", "lastActivityAt",
			"warnedAt", "access", "webhooks", "history");

	private static final SerializableString[] MEMBER = names("id", "name", "role", "tokenHash", "connected", "joinedAt",
			"lastSeenAt", "metadata", "userId", "ticketTokenHashes");

	private static final SerializableString[] ACCESS = names("joinPolicy", "permissions");

	private static final SerializableString[] PERMISSIONS = names("state", "broadcast");

	private static final SerializableString[] WEBHOOKS = names("closedAt", "pending");

	private static final SerializableString[] PENDING = names("id", "type", "seq", "timestamp", "body", "endpoints",
			"failed");

	private static final SerializableString[] FAILURE = names("endpoint", "attempts", "lastError", "failedAt");

	private static final SerializableString[] HISTORY = names("epoch", "events");

	private volatile Children children;

	/** The deserializers of the values read Jackson's way, and the null rule. */
	private record Children(ValueDeserializer<Object> objects, ValueDeserializer<Object> instants,
			ValueDeserializer<Object> events, boolean nullsAreNull) {
	}

	private Children children(DeserializationContext context) {
		Children children = this.children;
		if (children == null) {
			DeserializationConfig config = context.getConfig();
			children = new Children(context.findRootValueDeserializer(context.constructType(ObjectNode.class)),
					context.findRootValueDeserializer(context.constructType(Instant.class)),
					context.findRootValueDeserializer(context.constructType(HistoryEvent.class)),
					defaultNulls(config.getDefaultNullHandling()) && defaultNulls(config, String.class)
							&& defaultNulls(config, Instant.class));
			this.children = children;
		}
		return children;
	}

	private static boolean defaultNulls(DeserializationConfig config, Class<?> type) {
		ConfigOverride override = config.findConfigOverride(type);
		return override == null || defaultNulls(override.getNullHandling());
	}

	private static boolean defaultNulls(JsonSetter.Value handling) {
		return handling == null
				|| (handling.getValueNulls() == Nulls.DEFAULT && handling.getContentNulls() == Nulls.DEFAULT);
	}

	/**
	 * Whether the values this reader leaves to Jackson are read by Jackson's own
	 * deserializers of {@link ObjectNode} and this store's
	 * {@link UtcInstantDeserializer}, and {@code null} is {@code null}
	 * ({@link CompactRoomReader} reads them so); known after a first read.
	 */
	boolean standardValues() {
		Children children = this.children;
		return children != null && children.nullsAreNull()
				&& children.instants().getClass() == UtcInstantDeserializer.class
				&& children.objects()
					.getClass()
					.getName()
					.equals("tools.jackson.databind.deser.jackson.JsonNodeDeserializer$ObjectDeserializer");
	}

	@Override
	public Layout deserialize(JsonParser parser, DeserializationContext context) {
		try {
			Children children = children(context);
			if (!children.nullsAreNull()) {
				// nulls configured to be read otherwise (which may fail for some types):
				// Jackson's way only
				return null;
			}
			boolean nulls = !context.isEnabled(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES);
			Room room = room(parser, context, children, nulls);
			if (parser.nextToken() != null) {
				return null;
			}
			return new Layout(room);
		}
		catch (NotTheLayout ex) {
			return null;
		}
	}

	@Override
	public Class<?> handledType() {
		return Layout.class;
	}

	private static Room room(JsonParser parser, DeserializationContext context, Children children, boolean nulls) {
		startObject(parser);
		String code = null;
		String name = null;
		String passwordHash = null;
		String ownerTokenHash = null;
		boolean locked = false;
		boolean listed = false;
		int maxMembers = 0;
		List<Member> members = null;
		ObjectNode settings = null;
		ObjectNode state = null;
		long version = 0;
		long seq = 0;
		Instant createdAt = null;
		Instant lastActivityAt = null;
		Instant warnedAt = null;
		RoomAccess access = null;
		RoomWebhooks webhooks = null;
		RoomHistory history = null;
		for (int i = 0; i < ROOM.length; i++) {
			if (!parser.nextName(ROOM[i])) {
				throw NOT_THE_LAYOUT;
			}
			JsonToken token = parser.nextToken();
			switch (i) {
				case 0 -> {
					code = string(parser, token, nulls);
				}
				case 1 -> {
					name = string(parser, token, nulls);
				}
				case 2 -> {
					passwordHash = string(parser, token, nulls);
				}
				case 3 -> {
					ownerTokenHash = string(parser, token, nulls);
				}
				case 4 -> {
					locked = bool(token);
				}
				case 5 -> {
					listed = bool(token);
				}
				case 6 -> {
					maxMembers = integer(parser, token);
				}
				case 7 -> {
					members = members(parser, context, children, nulls, token);
				}
				case 8 -> {
					settings = object(parser, context, children, token);
				}
				case 9 -> {
					state = object(parser, context, children, token);
				}
				case 10 -> {
					version = longInteger(parser, token);
				}
				case 11 -> {
					seq = longInteger(parser, token);
				}
				case 12 -> {
					createdAt = instant(parser, context, children, nulls, token);
				}
				case 13 -> {
					lastActivityAt = instant(parser, context, children, nulls, token);
				}
				case 14 -> {
					warnedAt = instant(parser, context, children, nulls, token);
				}
				case 15 -> {
					access = access(parser, nulls, token);
				}
				case 16 -> {
					webhooks = webhooks(parser, context, children, nulls, token);
				}
				case 17 -> {
					history = history(parser, context, children, nulls, token);
				}
				default -> throw NOT_THE_LAYOUT;
			}
		}
		if (parser.nextToken() != JsonToken.END_OBJECT) {
			throw NOT_THE_LAYOUT;
		}
		try {
			return new Room(code, name, passwordHash, ownerTokenHash, locked, listed, maxMembers, members, settings,
					state, version, seq, createdAt, lastActivityAt, warnedAt, access, webhooks, history);
		}
		catch (RuntimeException ex) {
			throw NOT_THE_LAYOUT;
		}
	}

	private static List<Member> members(JsonParser parser, DeserializationContext context, Children children,
			boolean nulls, JsonToken token) {
		if (token != JsonToken.START_ARRAY) {
			throw NOT_THE_LAYOUT;
		}
		List<Member> members = new ArrayList<>();
		while (parser.nextToken() != JsonToken.END_ARRAY) {
			members.add(member(parser, context, children, nulls));
		}
		return members;
	}

	private static Member member(JsonParser parser, DeserializationContext context, Children children, boolean nulls) {
		startObject(parser);
		String id = null;
		String name = null;
		MemberRole role = null;
		String tokenHash = null;
		boolean connected = false;
		Instant joinedAt = null;
		Instant lastSeenAt = null;
		ObjectNode metadata = null;
		String userId = null;
		List<String> ticketTokenHashes = null;
		for (int i = 0; i < MEMBER.length; i++) {
			if (!parser.nextName(MEMBER[i])) {
				throw NOT_THE_LAYOUT;
			}
			JsonToken token = parser.nextToken();
			switch (i) {
				case 0 -> {
					id = string(parser, token, nulls);
				}
				case 1 -> {
					name = string(parser, token, nulls);
				}
				case 2 -> {
					role = role(parser, token);
				}
				case 3 -> {
					tokenHash = string(parser, token, nulls);
				}
				case 4 -> {
					connected = bool(token);
				}
				case 5 -> {
					joinedAt = instant(parser, context, children, nulls, token);
				}
				case 6 -> {
					lastSeenAt = instant(parser, context, children, nulls, token);
				}
				case 7 -> {
					metadata = object(parser, context, children, token);
				}
				case 8 -> {
					userId = string(parser, token, nulls);
				}
				case 9 -> {
					ticketTokenHashes = strings(parser, token);
				}
				default -> throw NOT_THE_LAYOUT;
			}
		}
		if (parser.nextToken() != JsonToken.END_OBJECT) {
			throw NOT_THE_LAYOUT;
		}
		try {
			return new Member(id, name, role, tokenHash, connected, joinedAt, lastSeenAt, metadata, userId,
					ticketTokenHashes);
		}
		catch (RuntimeException ex) {
			throw NOT_THE_LAYOUT;
		}
	}

	private static RoomAccess access(JsonParser parser, boolean nulls, JsonToken token) {
		if (token != JsonToken.START_OBJECT) {
			throw NOT_THE_LAYOUT;
		}
		String joinPolicy = null;
		RoomAccess.Permissions permissions = null;
		for (int i = 0; i < ACCESS.length; i++) {
			if (!parser.nextName(ACCESS[i])) {
				throw NOT_THE_LAYOUT;
			}
			JsonToken value = parser.nextToken();
			switch (i) {
				case 0 -> {
					joinPolicy = string(parser, value, nulls);
				}
				case 1 -> {
					permissions = permissions(parser, nulls, value);
				}
				default -> throw NOT_THE_LAYOUT;
			}
		}
		if (parser.nextToken() != JsonToken.END_OBJECT) {
			throw NOT_THE_LAYOUT;
		}
		try {
			return new RoomAccess(joinPolicy, permissions);
		}
		catch (RuntimeException ex) {
			throw NOT_THE_LAYOUT;
		}
	}

	private static RoomAccess.Permissions permissions(JsonParser parser, boolean nulls, JsonToken token) {
		if (token != JsonToken.START_OBJECT) {
			throw NOT_THE_LAYOUT;
		}
		String state = null;
		String broadcast = null;
		for (int i = 0; i < PERMISSIONS.length; i++) {
			if (!parser.nextName(PERMISSIONS[i])) {
				throw NOT_THE_LAYOUT;
			}
			JsonToken value = parser.nextToken();
			switch (i) {
				case 0 -> {
					state = string(parser, value, nulls);
				}
				case 1 -> {
					broadcast = string(parser, value, nulls);
				}
				default -> throw NOT_THE_LAYOUT;
			}
		}
		if (parser.nextToken() != JsonToken.END_OBJECT) {
			throw NOT_THE_LAYOUT;
		}
		return new RoomAccess.Permissions(state, broadcast);
	}

	private static RoomWebhooks webhooks(JsonParser parser, DeserializationContext context, Children children,
			boolean nulls, JsonToken token) {
		if (token != JsonToken.START_OBJECT) {
			throw NOT_THE_LAYOUT;
		}
		Instant closedAt = null;
		List<RoomWebhooks.PendingWebhook> pending = null;
		for (int i = 0; i < WEBHOOKS.length; i++) {
			if (!parser.nextName(WEBHOOKS[i])) {
				throw NOT_THE_LAYOUT;
			}
			JsonToken value = parser.nextToken();
			switch (i) {
				case 0 -> {
					closedAt = instant(parser, context, children, nulls, value);
				}
				case 1 -> {
					if (value != JsonToken.START_ARRAY) {
						throw NOT_THE_LAYOUT;
					}
					pending = new ArrayList<>();
					while (parser.nextToken() != JsonToken.END_ARRAY) {
						pending.add(pending(parser, context, children, nulls));
					}
				}
				default -> throw NOT_THE_LAYOUT;
			}
		}
		if (parser.nextToken() != JsonToken.END_OBJECT) {
			throw NOT_THE_LAYOUT;
		}
		try {
			return new RoomWebhooks(closedAt, pending);
		}
		catch (RuntimeException ex) {
			throw NOT_THE_LAYOUT;
		}
	}

	private static RoomWebhooks.PendingWebhook pending(JsonParser parser, DeserializationContext context,
			Children children, boolean nulls) {
		startObject(parser);
		String id = null;
		String type = null;
		long seq = 0;
		Instant timestamp = null;
		String body = null;
		List<String> endpoints = null;
		List<RoomWebhooks.FailedDelivery> failed = null;
		for (int i = 0; i < PENDING.length; i++) {
			if (!parser.nextName(PENDING[i])) {
				throw NOT_THE_LAYOUT;
			}
			JsonToken value = parser.nextToken();
			switch (i) {
				case 0 -> {
					id = string(parser, value, nulls);
				}
				case 1 -> {
					type = string(parser, value, nulls);
				}
				case 2 -> {
					seq = longInteger(parser, value);
				}
				case 3 -> {
					timestamp = instant(parser, context, children, nulls, value);
				}
				case 4 -> {
					body = string(parser, value, nulls);
				}
				case 5 -> {
					endpoints = strings(parser, value);
				}
				case 6 -> {
					if (value != JsonToken.START_ARRAY) {
						throw NOT_THE_LAYOUT;
					}
					failed = new ArrayList<>();
					while (parser.nextToken() != JsonToken.END_ARRAY) {
						failed.add(failure(parser, context, children, nulls));
					}
				}
				default -> throw NOT_THE_LAYOUT;
			}
		}
		if (parser.nextToken() != JsonToken.END_OBJECT) {
			throw NOT_THE_LAYOUT;
		}
		try {
			return new RoomWebhooks.PendingWebhook(id, type, seq, timestamp, body, endpoints, failed);
		}
		catch (RuntimeException ex) {
			throw NOT_THE_LAYOUT;
		}
	}

	private static RoomWebhooks.FailedDelivery failure(JsonParser parser, DeserializationContext context,
			Children children, boolean nulls) {
		startObject(parser);
		String endpoint = null;
		int attempts = 0;
		String lastError = null;
		Instant failedAt = null;
		for (int i = 0; i < FAILURE.length; i++) {
			if (!parser.nextName(FAILURE[i])) {
				throw NOT_THE_LAYOUT;
			}
			JsonToken value = parser.nextToken();
			switch (i) {
				case 0 -> {
					endpoint = string(parser, value, nulls);
				}
				case 1 -> {
					attempts = integer(parser, value);
				}
				case 2 -> {
					lastError = string(parser, value, nulls);
				}
				case 3 -> {
					failedAt = instant(parser, context, children, nulls, value);
				}
				default -> throw NOT_THE_LAYOUT;
			}
		}
		if (parser.nextToken() != JsonToken.END_OBJECT) {
			throw NOT_THE_LAYOUT;
		}
		return new RoomWebhooks.FailedDelivery(endpoint, attempts, lastError, failedAt);
	}

	private static RoomHistory history(JsonParser parser, DeserializationContext context, Children children,
			boolean nulls, JsonToken token) {
		if (token != JsonToken.START_OBJECT) {
			throw NOT_THE_LAYOUT;
		}
		String epoch = null;
		List<HistoryEvent> events = null;
		for (int i = 0; i < HISTORY.length; i++) {
			if (!parser.nextName(HISTORY[i])) {
				throw NOT_THE_LAYOUT;
			}
			JsonToken value = parser.nextToken();
			switch (i) {
				case 0 -> {
					epoch = string(parser, value, nulls);
				}
				case 1 -> {
					if (value != JsonToken.START_ARRAY) {
						throw NOT_THE_LAYOUT;
					}
					events = new ArrayList<>();
					while (parser.nextToken() == JsonToken.START_OBJECT) {
						// the deserializer Jackson's path uses (events cut verbatim from
						// the bytes)
						events.add((HistoryEvent) children.events().deserialize(parser, context));
					}
					if (!parser.hasToken(JsonToken.END_ARRAY)) {
						throw NOT_THE_LAYOUT;
					}
				}
				default -> throw NOT_THE_LAYOUT;
			}
		}
		if (parser.nextToken() != JsonToken.END_OBJECT) {
			throw NOT_THE_LAYOUT;
		}
		try {
			return new RoomHistory(epoch, events);
		}
		catch (RuntimeException ex) {
			throw NOT_THE_LAYOUT;
		}
	}

	/** The properties of a record in the order the store writes them. */
	private static SerializableString[] names(String... names) {
		SerializableString[] serialized = new SerializableString[names.length];
		for (int i = 0; i < names.length; i++) {
			serialized[i] = new SerializedString(names[i]);
		}
		return serialized;
	}

	private static void startObject(JsonParser parser) {
		if (!parser.hasToken(JsonToken.START_OBJECT)) {
			throw NOT_THE_LAYOUT;
		}
	}

	/** A string, or {@code null} where Jackson reads {@code null} as {@code null}. */
	private static String string(JsonParser parser, JsonToken token, boolean nulls) {
		if (token == JsonToken.VALUE_STRING) {
			return parser.getString();
		}
		if (token == JsonToken.VALUE_NULL && nulls) {
			return null;
		}
		throw NOT_THE_LAYOUT;
	}

	private static boolean bool(JsonToken token) {
		if (token == JsonToken.VALUE_TRUE) {
			return true;
		}
		if (token == JsonToken.VALUE_FALSE) {
			return false;
		}
		throw NOT_THE_LAYOUT;
	}

	private static int integer(JsonParser parser, JsonToken token) {
		if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT) {
			return parser.getIntValue();
		}
		throw NOT_THE_LAYOUT;
	}

	private static long longInteger(JsonParser parser, JsonToken token) {
		if (token == JsonToken.VALUE_NUMBER_INT && (parser.getNumberType() == JsonParser.NumberType.INT
				|| parser.getNumberType() == JsonParser.NumberType.LONG)) {
			return parser.getLongValue();
		}
		throw NOT_THE_LAYOUT;
	}

	private static MemberRole role(JsonParser parser, JsonToken token) {
		if (token == JsonToken.VALUE_STRING) {
			String value = parser.getString();
			if ("owner".equals(value)) {
				return MemberRole.OWNER;
			}
			if ("member".equals(value)) {
				return MemberRole.MEMBER;
			}
		}
		throw NOT_THE_LAYOUT;
	}

	/** A JSON object, read by Jackson's own deserializer of {@link ObjectNode}. */
	private static ObjectNode object(JsonParser parser, DeserializationContext context, Children children,
			JsonToken token) {
		if (token != JsonToken.START_OBJECT) {
			throw NOT_THE_LAYOUT;
		}
		return (ObjectNode) children.objects().deserialize(parser, context);
	}

	/** An instant, read by the deserializer Jackson's path uses (or {@code null}). */
	private static Instant instant(JsonParser parser, DeserializationContext context, Children children, boolean nulls,
			JsonToken token) {
		if (token == JsonToken.VALUE_STRING) {
			Object instant = children.instants().deserialize(parser, context);
			if (instant instanceof Instant value) {
				return value;
			}
			throw NOT_THE_LAYOUT;
		}
		if (token == JsonToken.VALUE_NULL && nulls) {
			return null;
		}
		throw NOT_THE_LAYOUT;
	}

	/** An array of strings (no {@code null}s). */
	private static List<String> strings(JsonParser parser, JsonToken token) {
		if (token != JsonToken.START_ARRAY) {
			throw NOT_THE_LAYOUT;
		}
		List<String> strings = new ArrayList<>();
		for (JsonToken element = parser.nextToken(); element != JsonToken.END_ARRAY; element = parser.nextToken()) {
			if (element != JsonToken.VALUE_STRING) {
				throw NOT_THE_LAYOUT;
			}
			strings.add(parser.getString());
		}
		return strings;
	}

}
