package dev.roomkeeper.room;

/** Reads the token of an {@code Authorization: Bearer <token>} header. */
public final class BearerToken {

	private BearerToken() {
	}

	/**
	 * The token, or {@code null} if the header is absent or not a non-empty bearer token.
	 */
	public static String of(String authorization) {
		if (authorization == null || authorization.length() <= 7
				|| !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return null;
		}
		String token = authorization.substring(7).trim();
		return token.isEmpty() ? null : token;
	}

}
