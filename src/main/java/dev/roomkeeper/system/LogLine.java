package dev.roomkeeper.system;

import java.util.regex.Pattern;

/**
 * One lifecycle fact as one structured log line: {@code event=room-closed room=ABC234
 * reason=owner}.
 * <p>
 * Lines are {@code key=value} pairs (logfmt), so they can be grepped in plain logs and
 * parsed by log pipelines; with Spring Boot's structured logging
 * ({@code logging.structured.format.console=ecs}, as the deployment files set) the line
 * is the {@code message} of a JSON record. A value that holds a space, a quote or an
 * equals sign is quoted. Never pass a token, a password or a hash as a value.
 */
public final class LogLine {

	private static final Pattern BARE = Pattern.compile("[A-Za-z0-9._:/@+-]+");

	private final StringBuilder line;

	private LogLine(String event) {
		this.line = new StringBuilder("event=").append(format(event));
	}

	/** Starts a line for a fact such as {@code room-created}. */
	public static LogLine of(String event) {
		return new LogLine(event);
	}

	/** Adds {@code key=value}; {@code null} is written as {@code null}. */
	public LogLine with(String key, Object value) {
		this.line.append(' ').append(key).append('=').append(format(value));
		return this;
	}

	private static String format(Object value) {
		String text = String.valueOf(value);
		if (!text.isEmpty() && BARE.matcher(text).matches()) {
			return text;
		}
		return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r") + '"';
	}

	@Override
	public String toString() {
		return this.line.toString();
	}

}
