package dev.roomkeeper.room;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.annotation.JsonRawValue;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.json.JsonMapper;

/**
 * One room-topic event as it was sent: its {@code seq} and its JSON, kept verbatim so a
 * recovering client gets the same event the others saw. Stored as raw JSON (not as an
 * escaped string), so a room file shows the events as they are.
 * <p>
 * Read by {@link Reader} (a room holds up to {@code rooms.history.size} of them, and
 * Jackson's own record support calls the constructor through
 * {@code MethodHandle.invokeWithArguments}, which costs more than reading the event).
 *
 * @param seq the event's seq
 * @param json the event as JSON
 */
@JsonDeserialize(using = HistoryEvent.Reader.class)
public record HistoryEvent(long seq, @JsonRawValue String json) {

	/**
	 * The attribute of a deserialization ({@code ObjectReader.withAttribute}) that holds
	 * the {@link Source} its parser reads: events are then cut out of those bytes instead
	 * of being parsed into a tree and written again. (A string: its hash is cached.)
	 */
	public static final Object SOURCE = "dev.roomkeeper.room.HistoryEvent.SOURCE";

	/**
	 * What a parser reads, for {@link #SOURCE}.
	 *
	 * @param parser the parser that reads the document
	 * @param bytes the bytes that hold the document
	 * @param offset where in {@code bytes} the document starts (where the parser was told
	 * to start)
	 */
	public record Source(JsonParser parser, byte[] bytes, int offset) {

	}

	/**
	 * Reads {@code {"seq": ..., "json": ...}} as Jackson would for the record (unknown
	 * properties as the context says, {@code seq} as a primitive {@code long}), calling
	 * the constructor directly. The {@code json} value is read back into its text: an
	 * object or array read straight from the bytes of a {@link #SOURCE} without
	 * whitespace between its tokens (as every store writes it) is taken verbatim from
	 * them; anything else (whitespace between tokens, a scalar, another parser) is read
	 * as a tree and written compactly.
	 */
	static final class Reader extends ValueDeserializer<HistoryEvent> {

		@Override
		public HistoryEvent deserialize(JsonParser parser, DeserializationContext context) {
			String name;
			if (parser.currentToken() == JsonToken.START_OBJECT) {
				name = parser.nextName();
			}
			else if (parser.currentToken() == JsonToken.PROPERTY_NAME) {
				name = parser.currentName();
			}
			else {
				return (HistoryEvent) context.handleUnexpectedToken(HistoryEvent.class, parser);
			}
			Long seq = null;
			String json = null;
			boolean hasJson = false;
			for (; name != null; name = parser.nextName()) {
				JsonToken token = parser.nextToken();
				if ("seq".equals(name)) {
					seq = (token == JsonToken.VALUE_NUMBER_INT) ? parser.getLongValue()
							: context.readValue(parser, Long.TYPE);
				}
				else if ("json".equals(name)) {
					json = (token == JsonToken.VALUE_NULL) ? null : json(parser, context);
					hasJson = true;
				}
				else {
					context.handleUnknownProperty(parser, this, HistoryEvent.class, name);
				}
			}
			// what Jackson checks for the record's constructor
			boolean missing = (seq == null || !hasJson)
					&& context.isEnabled(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);
			boolean nullSeq = seq == null && context.isEnabled(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
			boolean nullJson = json == null
					&& context.isEnabled(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES);
			if (missing || nullSeq || nullJson) {
				return (HistoryEvent) context.reportInputMismatch(this, "Missing or null property of a history event");
			}
			return new HistoryEvent((seq != null) ? seq : 0, json);
		}

		private static String json(JsonParser parser, DeserializationContext context) {
			if (context.getAttribute(SOURCE) instanceof Source source && source.parser() == parser
					&& (parser.currentToken() == JsonToken.START_OBJECT
							|| parser.currentToken() == JsonToken.START_ARRAY)) {
				return verbatim(parser, source.bytes(), source.offset());
			}
			return context.readTree(parser).toString();
		}

		private static String verbatim(JsonParser parser, byte[] bytes, int offset) {
			// byte offsets count from where the parser started
			long start = offset + parser.currentTokenLocation().getByteOffset();
			byte open = (parser.currentToken() == JsonToken.START_OBJECT) ? (byte) '{' : (byte) '[';
			parser.skipChildren();
			long end = offset + parser.currentLocation().getByteOffset();
			if (start < offset || end <= start || end > bytes.length || bytes[(int) start] != open
					|| bytes[(int) end - 1] != ((open == '{') ? '}' : ']')) {
				throw new IllegalStateException("Cannot locate a history event in its source");
			}
			int from = (int) start;
			int length = (int) (end - start);
			if (compact(bytes, from, length)) {
				return new String(bytes, from, length, StandardCharsets.UTF_8);
			}
			return JsonMapper.shared().readTree(bytes, from, length).toString();
		}

		/** Whether the JSON has no whitespace outside its strings. */
		private static boolean compact(byte[] bytes, int from, int length) {
			boolean inString = false;
			for (int i = from; i < from + length; i++) {
				byte b = bytes[i];
				if (inString) {
					if (b == '\\') {
						i++;
					}
					else if (b == '"') {
						inString = false;
					}
				}
				else if (b == '"') {
					inString = true;
				}
				else if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
					return false;
				}
			}
			return true;
		}

	}

}
