package dev.roomkeeper.room;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import org.springframework.stereotype.Component;

/**
 * The server keys ({@code rooms.server-keys}): secrets with which the app's backend acts
 * as the server in every room. Each must be at least {@value #MIN_LENGTH} characters
 * (start-up fails naming the property otherwise). Keys are compared in constant time: a
 * SHA-256 of the presented token against a SHA-256 of each key, every key checked.
 */
@Component
public class ServerKeys {

	static final int MIN_LENGTH = 32;

	private final List<byte[]> keyHashes;

	public ServerKeys(RoomProperties properties) {
		List<String> keys = properties.getServerKeys().stream().map(String::trim).filter((k) -> !k.isEmpty()).toList();
		for (String key : keys) {
			if (key.length() < MIN_LENGTH) {
				throw new IllegalStateException(
						"rooms.server-keys: every key must be at least " + MIN_LENGTH + " characters");
			}
		}
		this.keyHashes = keys.stream().map(ServerKeys::sha256).toList();
	}

	/** Whether any server key is configured. */
	public boolean enabled() {
		return !this.keyHashes.isEmpty();
	}

	/** Whether the token is one of the server keys. */
	public boolean matches(String token) {
		if (token == null || this.keyHashes.isEmpty()) {
			return false;
		}
		byte[] presented = sha256(token);
		boolean match = false;
		for (byte[] key : this.keyHashes) {
			match |= MessageDigest.isEqual(key, presented);
		}
		return match;
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
