package dev.roomkeeper.room;

import com.fasterxml.jackson.annotation.JsonRawValue;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * One room-topic event as it was sent: its {@code seq} and its JSON, kept verbatim so a
 * recovering client gets the same event the others saw. Stored as raw JSON (not as an
 * escaped string), so a room file shows the events as they are.
 *
 * @param seq the event's seq
 * @param json the event as JSON
 */
public record HistoryEvent(long seq, @JsonRawValue @JsonDeserialize(using = HistoryEvent.RawJson.class) String json) {

	/** Reads any JSON value back into its text. */
	static final class RawJson extends ValueDeserializer<String> {

		@Override
		public String deserialize(JsonParser parser, DeserializationContext context) {
			return context.readTree(parser).toString();
		}

	}

}
