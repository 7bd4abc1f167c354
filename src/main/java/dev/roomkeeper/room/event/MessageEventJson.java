package dev.roomkeeper.room.event;

import tools.jackson.databind.node.POJONode;
import tools.jackson.databind.util.RawValue;

/**
 * The JSON of a {@link MessageEvent} whose {@code data} is raw JSON (a live broadcast, as
 * {@code RawBroadcastData} reads it), written by hand: the same text Jackson writes for
 * it ({@code type}, {@code room}, {@code at} as ISO-8601, {@code seq}, {@code from},
 * {@code data} as sent), without a generator and its buffers for every message.
 * <p>
 * Only the plain case is written here: a {@code room} and {@code from} of printable ASCII
 * without quotes or backslashes (every generated code and member id), an {@code at}, and
 * raw {@code data}. Anything else gets {@code null}, and Jackson writes it.
 */
final class MessageEventJson {

	private static final String START = "{\"type\":\"message\",\"room\":\"";

	private MessageEventJson() {
	}

	/** The event's JSON, or {@code null} when it is not the plain case. */
	static String write(MessageEvent event) {
		String data = rawData(event);
		String room = event.room();
		String from = event.from();
		if (data == null || event.at() == null || !plain(room) || (from != null && !plain(from))) {
			return null;
		}
		String at = event.at().toString();
		StringBuilder json = new StringBuilder(START.length() + room.length() + at.length()
				+ ((from != null) ? from.length() : 4) + data.length() + 48);
		json.append(START).append(room).append("\",\"at\":\"").append(at).append("\",\"seq\":").append(event.seq());
		json.append(",\"from\":");
		if (from != null) {
			json.append('"').append(from).append('"');
		}
		else {
			json.append("null");
		}
		return json.append(",\"data\":").append(data).append('}').toString();
	}

	private static String rawData(MessageEvent event) {
		if (event.data() instanceof POJONode node && node.getPojo() instanceof RawValue raw
				&& raw.rawValue() instanceof String text) {
			return text;
		}
		return null;
	}

	/** Printable ASCII without a quote or a backslash: written as it is inside quotes. */
	private static boolean plain(String text) {
		if (text == null) {
			return false;
		}
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
				return false;
			}
		}
		return true;
	}

}
