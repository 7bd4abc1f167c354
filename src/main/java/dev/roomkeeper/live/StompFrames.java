package dev.roomkeeper.live;

/**
 * Writes the frames the server sends, as text ready for a WebSocket message. Header
 * values are escaped as STOMP 1.2 requires (except in CONNECTED); bodies carry
 * {@code content-length} in UTF-8 bytes.
 */
final class StompFrames {

	/** A heart-beat: one end-of-line. */
	static final String HEARTBEAT = "\n";

	private StompFrames() {
	}

	static String connected(String heartBeat, String userName, String sessionId) {
		return connected(heartBeat, userName, sessionId, null);
	}

	/**
	 * CONNECTED; with {@code token} (after a CONNECT with a ticket) the member token is
	 * in a header {@code token}.
	 */
	static String connected(String heartBeat, String userName, String sessionId, String token) {
		return "CONNECTED\nversion:1.2\nheart-beat:" + heartBeat + "\nserver:Roomkeeper\nsession:" + sessionId
				+ "\nuser-name:" + userName + ((token != null) ? "\ntoken:" + escape(token) : "") + "\n\n\0";
	}

	static String receipt(String receiptId) {
		return "RECEIPT\nreceipt-id:" + escape(receiptId) + "\n\n\0";
	}

	/**
	 * An ERROR frame: {@code message} (short), {@code code} (a problem code), the detail
	 * as a text body, and {@code receipt-id} when the failed frame asked for a receipt.
	 */
	static String error(String code, String message, String receiptId) {
		StringBuilder frame = new StringBuilder(96 + message.length() * 2);
		frame.append("ERROR\nmessage:").append(escape(message)).append("\ncode:").append(code);
		if (receiptId != null) {
			frame.append("\nreceipt-id:").append(escape(receiptId));
		}
		frame.append("\ncontent-type:text/plain;charset=UTF-8\ncontent-length:")
			.append(utf8Length(message))
			.append("\n\n")
			.append(message)
			.append('\0');
		return frame.toString();
	}

	/** A MESSAGE frame with a JSON body. */
	static String message(String destination, String escapedSubscription, String messageId, String rawJson) {
		String json = encodable(rawJson);
		return new StringBuilder(json.length() + 160).append("MESSAGE\ndestination:")
			.append(destination)
			.append("\ncontent-type:application/json\ncontent-length:")
			.append(utf8Length(json))
			.append("\nmessage-id:")
			.append(messageId)
			.append("\nsubscription:")
			.append(escapedSubscription)
			.append("\n\n")
			.append(json)
			.append('\0')
			.toString();
	}

	/** Escapes a header value (STOMP 1.2): backslash, CR, LF and colon. */
	static String escape(String value) {
		int i = 0;
		while (i < value.length()) {
			char c = value.charAt(i);
			if (c == '\\' || c == '\r' || c == '\n' || c == ':') {
				break;
			}
			i++;
		}
		if (i == value.length()) {
			return value;
		}
		StringBuilder escaped = new StringBuilder(value.length() + 8).append(value, 0, i);
		for (; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '\\' -> escaped.append("\\\\");
				case '\r' -> escaped.append("\\r");
				case '\n' -> escaped.append("\\n");
				case ':' -> escaped.append("\\c");
				default -> escaped.append(c);
			}
		}
		return escaped.toString();
	}

	/**
	 * JSON that can be encoded as UTF-8: a lone surrogate (legal in a JSON string as an
	 * escape such as {@code "\ud83d"}, but not text) is written back as that escape, so
	 * the value stays the same and the WebSocket write cannot fail on it. Returns the
	 * same string when there is none, the usual case.
	 */
	static String encodable(String json) {
		int length = json.length();
		for (int i = 0; i < length; i++) {
			char c = json.charAt(i);
			if (Character.isSurrogate(c)) {
				if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(json.charAt(i + 1))) {
					i++;
					continue;
				}
				return escapeLoneSurrogates(json);
			}
		}
		return json;
	}

	private static String escapeLoneSurrogates(String json) {
		StringBuilder result = new StringBuilder(json.length() + 16);
		int length = json.length();
		for (int i = 0; i < length; i++) {
			char c = json.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(json.charAt(i + 1))) {
				result.append(c).append(json.charAt(++i));
			}
			else if (Character.isSurrogate(c)) {
				result.append(String.format("\\u%04x", (int) c));
			}
			else {
				result.append(c);
			}
		}
		return result.toString();
	}

	/**
	 * The length of a string in UTF-8, without encoding it; for text without lone
	 * surrogates (see {@link #encodable}).
	 */
	static int utf8Length(String text) {
		int length = text.length();
		int bytes = length;
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (c >= 0x80) {
				if (c < 0x800) {
					bytes += 1;
				}
				else if (Character.isHighSurrogate(c) && i + 1 < length
						&& Character.isLowSurrogate(text.charAt(i + 1))) {
					bytes += 2;
					i++;
				}
				else {
					bytes += 2;
				}
			}
		}
		return bytes;
	}

}
