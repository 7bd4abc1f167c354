package dev.roomkeeper.admin;

import java.util.List;

/**
 * The answer of {@code POST /api/admin/import}: {@code {imported, existing: [{line,
 * code}], errors: [{line, message}]}}.
 *
 * @param imported how many rooms were stored
 * @param existing rooms whose code was taken: left as they are, not overwritten
 * @param errors lines that were not imported, and why
 */
record ImportReport(int imported, List<Existing> existing, List<LineError> errors) {

	/**
	 * A line whose room code exists on this server.
	 *
	 * @param line the line number, from 1
	 * @param code the room code
	 */
	record Existing(int line, String code) {
	}

	/**
	 * A line that was not imported.
	 *
	 * @param line the line number, from 1
	 * @param message what is wrong (names fields, never repeats their values)
	 */
	record LineError(int line, String message) {
	}

}
