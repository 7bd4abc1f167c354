package dev.roomkeeper.room;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Room codes: generated ones use {@value #ALPHABET} (no 0/O, 1/I/L look-alikes); custom
 * ones are 3 to 32 characters of {@code A-Z a-z 0-9 -}. Codes are case-insensitive on
 * input and upper-case everywhere else, so a normalised code is also safe as a file name
 * or a key.
 */
public final class RoomCodes {

	/** The characters of generated codes. */
	public static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

	private static final Pattern CUSTOM = Pattern.compile("[A-Za-z0-9-]{3,32}");

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
		return code != null && CUSTOM.matcher(code).matches();
	}

	/**
	 * The upper-case form of a code from a path or a token, or empty if it cannot be a
	 * code.
	 */
	public static Optional<String> normalizeIfValid(String code) {
		return isValid(code) ? Optional.of(code.toUpperCase(Locale.ROOT)) : Optional.empty();
	}

}
