package dev.roomkeeper.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the part of TOML that {@code fly.toml} uses: comments, {@code [table]},
 * {@code [[array.of.tables]]}, and {@code key = value} with strings, integers, booleans
 * and arrays of those. Enough to check the file, not a general parser: anything else
 * fails the test loudly.
 */
final class SimpleToml {

	private SimpleToml() {
	}

	static Map<String, Object> parse(String text) {
		Map<String, Object> root = new LinkedHashMap<>();
		Map<String, Object> current = root;
		int number = 0;
		for (String raw : text.split("\n", -1)) {
			number++;
			String line = stripComment(raw).trim();
			if (line.isEmpty()) {
				continue;
			}
			if (line.startsWith("[[")) {
				require(line.endsWith("]]"), number, raw);
				current = appendTable(root, line.substring(2, line.length() - 2).trim());
			}
			else if (line.startsWith("[")) {
				require(line.endsWith("]"), number, raw);
				current = table(root, line.substring(1, line.length() - 1).trim());
			}
			else {
				int equals = line.indexOf('=');
				require(equals > 0, number, raw);
				String key = line.substring(0, equals).trim();
				require(key.matches("[A-Za-z0-9_-]+"), number, raw);
				current.put(key, value(line.substring(equals + 1).trim(), number, raw));
			}
		}
		return root;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> table(Map<String, Object> root, String path) {
		Map<String, Object> table = root;
		for (String part : path.split("\\.")) {
			Object next = table.get(part);
			if (next instanceof List<?> list) {
				next = list.get(list.size() - 1);
			}
			if (next == null) {
				next = new LinkedHashMap<String, Object>();
				table.put(part, next);
			}
			table = (Map<String, Object>) next;
		}
		return table;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> appendTable(Map<String, Object> root, String path) {
		int dot = path.lastIndexOf('.');
		Map<String, Object> parent = (dot < 0) ? root : table(root, path.substring(0, dot));
		String name = path.substring(dot + 1);
		List<Object> list = (List<Object>) parent.computeIfAbsent(name, (key) -> new ArrayList<>());
		Map<String, Object> table = new LinkedHashMap<>();
		list.add(table);
		return table;
	}

	private static Object value(String text, int number, String raw) {
		if (text.startsWith("\"") || text.startsWith("'")) {
			char quote = text.charAt(0);
			require(text.length() >= 2 && text.charAt(text.length() - 1) == quote, number, raw);
			return text.substring(1, text.length() - 1);
		}
		if (text.equals("true") || text.equals("false")) {
			return Boolean.parseBoolean(text);
		}
		if (text.matches("-?\\d+")) {
			return Long.parseLong(text);
		}
		if (text.startsWith("[")) {
			require(text.endsWith("]"), number, raw);
			List<Object> values = new ArrayList<>();
			String inner = text.substring(1, text.length() - 1).trim();
			if (!inner.isEmpty()) {
				for (String item : inner.split(",")) {
					if (!item.isBlank()) {
						values.add(value(item.trim(), number, raw));
					}
				}
			}
			return values;
		}
		throw new IllegalArgumentException("Unsupported TOML value on line " + number + ": " + raw);
	}

	private static String stripComment(String line) {
		boolean inString = false;
		char quote = 0;
		for (int i = 0; i < line.length(); i++) {
			char c = line.charAt(i);
			if (inString) {
				if (c == quote) {
					inString = false;
				}
			}
			else if (c == '"' || c == '\'') {
				inString = true;
				quote = c;
			}
			else if (c == '#') {
				return line.substring(0, i);
			}
		}
		return line;
	}

	private static void require(boolean condition, int number, String raw) {
		if (!condition) {
			throw new IllegalArgumentException("Cannot read TOML line " + number + ": " + raw);
		}
	}

}
