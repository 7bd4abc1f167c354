package dev.roomkeeper.room;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;

/**
 * Room codes: generated ones use {@value #ALPHABET} (no 0/O, 1/I/L look-alikes); custom
 * ones are 3 to 32 characters of {@code A-Z a-z 0-9 -}. Codes are case-insensitive on
 * input and upper-case everywhere else, so a normalised code is also safe as a file name
 * or a key.
 */
public final class RoomCodes {

	/** The characters of generated codes. */
	public static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

	private static final int MIN_LENGTH = 3;

	private static final int MAX_LENGTH = 32;

	private static final SecureRandom RANDOM = new SecureRandom();

	private RoomCodes() {
	}

	public static String generate(int length) {
		StringBuilder code = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
		}
		return code.toString();
	}

	/** Whether a code a creator asked for has the allowed shape. */
	public static boolean isValid(String code) {
		// by hand, not with a regular expression: every room request and frame asks
		if (code == null || code.length() < MIN_LENGTH || code.length() > MAX_LENGTH) {
			return false;
		}
		for (int i = 0; i < code.length(); i++) {
			char c = code.charAt(i);
			boolean allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
			if (!allowed) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The upper-case form of a code from a path or a token, or empty if it cannot be a
	 * code.
	 */
	public static Optional<String> normalizeIfValid(String code) {
		return isValid(code) ? Optional.of(code.toUpperCase(Locale.ROOT)) : Optional.empty();
	}

}
