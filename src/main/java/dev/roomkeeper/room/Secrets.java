package dev.roomkeeper.room;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Tokens, member ids and password hashes.
 * <p>
 * A token is {@code CODE.secret}: the room code it belongs to (so a STOMP CONNECT can
 * find the room) and 256 bits from {@link SecureRandom}, base64url. Tokens are random
 * enough that one SHA-256 is a safe way to store them; passwords are people's words, so
 * they get bcrypt (over a SHA-256 of the password, so long passwords are not silently
 * truncated at 72 bytes).
 */
public final class Secrets {

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

	private static final BCryptPasswordEncoder BCRYPT = new BCryptPasswordEncoder(10, RANDOM);

	/**
	 * Verified when a room does not exist, so a miss costs what a wrong password costs.
	 */
	private static final String DECOY_HASH = BCRYPT.encode(prehash("decoy password"));

	private Secrets() {
	}

	/** A new token for a room: the code, a dot and 256 random bits. */
	public static String newToken(String roomCode) {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return roomCode + "." + BASE64URL.encodeToString(bytes);
	}

	/** A short random member id (72 bits, base64url). */
	public static String newMemberId() {
		byte[] bytes = new byte[9];
		RANDOM.nextBytes(bytes);
		return BASE64URL.encodeToString(bytes);
	}

	/** The room code a token names, upper-case, if the token has the expected shape. */
	public static Optional<String> roomCodeOf(String token) {
		if (token == null) {
			return Optional.empty();
		}
		int dot = token.indexOf('.');
		if (dot <= 0 || dot == token.length() - 1) {
			return Optional.empty();
		}
		return RoomCodes.normalizeIfValid(token.substring(0, dot));
	}

	/** SHA-256 of a token, base64url: what is stored instead of the token. */
	public static String hashToken(String token) {
		return BASE64URL.encodeToString(sha256(token));
	}

	/**
	 * Compares two token hashes in a time that depends only on their lengths, as
	 * {@link MessageDigest#isEqual} does for bytes, without copying them (it runs for
	 * every member on every message); {@code false} if either is null.
	 */
	public static boolean hashesEqual(String a, String b) {
		if (a == null || b == null) {
			return false;
		}
		int lengthA = a.length();
		int lengthB = b.length();
		if (lengthB == 0) {
			return lengthA == 0;
		}
		int difference = lengthA ^ lengthB;
		for (int i = 0; i < lengthA; i++) {
			// past the end of b, compare with its first character: no early exit
			int indexB = (i < lengthB) ? i : 0;
			difference |= a.charAt(i) ^ b.charAt(indexB);
		}
		return difference == 0;
	}

	public static String hashPassword(String password) {
		return BCRYPT.encode(prehash(password));
	}

	/**
	 * Whether the password matches the hash; with a {@code null} hash, does the same work
	 * and fails.
	 */
	public static boolean passwordMatches(String password, String hash) {
		if (hash == null) {
			BCRYPT.matches(prehash((password != null) ? password : ""), DECOY_HASH);
			return false;
		}
		return password != null && BCRYPT.matches(prehash(password), hash);
	}

	/**
	 * Spends the time a password check takes, for answers that must not be faster than
	 * one.
	 */
	public static void spendPasswordCheckTime() {
		passwordMatches("", null);
	}

	private static String prehash(String password) {
		return BASE64URL.encodeToString(sha256(password));
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

}
