package dev.roomkeeper.store.file;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.ext.javatime.deser.InstantDeserializer;

/**
 * Reads the instants of room files: {@code 2030-01-01T00:00:00Z} or with a fraction of 1
 * to 9 digits, as Jackson writes an {@link Instant}, is parsed directly (Jackson's own
 * deserializer goes through {@code DateTimeFormatter}, several microseconds each, and a
 * room has a few per member); anything else (another form, a number, a leap second, an
 * impossible date) goes to Jackson's own, so what is read and what fails is unchanged.
 */
final class UtcInstantDeserializer extends ValueDeserializer<Instant> {

	private static final ValueDeserializer<Instant> JACKSON = InstantDeserializer.INSTANT;

	@Override
	public Instant deserialize(JsonParser parser, DeserializationContext context) {
		if (parser.currentToken() == JsonToken.VALUE_STRING
				&& !context.isEnabled(DateTimeFeature.TRUNCATE_TO_MSECS_ON_READ)) {
			Instant instant = parse(parser.getString());
			if (instant != null) {
				return instant;
			}
		}
		return JACKSON.deserialize(parser, context);
	}

	@Override
	public Class<?> handledType() {
		return Instant.class;
	}

	/**
	 * The instant of {@code uuuu-MM-ddTHH:mm:ss[.f{1,9}]Z} (a year of four digits), or
	 * {@code null} if the text is anything else.
	 */
	static Instant parse(String text) {
		int length = text.length();
		if (length < 20 || length == 21 || length > 30 || text.charAt(4) != '-' || text.charAt(7) != '-'
				|| text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':'
				|| text.charAt(length - 1) != 'Z') {
			return null;
		}
		int year = digits(text, 0, 4);
		int month = digits(text, 5, 2);
		int day = digits(text, 8, 2);
		int hour = digits(text, 11, 2);
		int minute = digits(text, 14, 2);
		int second = digits(text, 17, 2);
		if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
				|| second > 59) {
			return null;
		}
		int nanos = 0;
		if (length > 20) {
			if (text.charAt(19) != '.') {
				return null;
			}
			int fraction = length - 21;
			nanos = digits(text, 20, fraction);
			if (nanos < 0) {
				return null;
			}
			for (int i = fraction; i < 9; i++) {
				nanos *= 10;
			}
		}
		long days;
		try {
			days = LocalDate.of(year, month, day).toEpochDay();
		}
		catch (DateTimeException ex) {
			return null;
		}
		return Instant.ofEpochSecond(days * 86_400 + hour * 3_600 + minute * 60 + second, nanos);
	}

	/** The value of {@code count} decimal digits from {@code from}, or -1. */
	private static int digits(String text, int from, int count) {
		int value = 0;
		for (int i = from; i < from + count; i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

}
