package dev.roomkeeper.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** Mints join tickets as an app's backend would. */
public final class Tickets {

	private Tickets() {
	}

	/** A ticket for {@code room} and user {@code sub}, valid for an hour. */
	public static String mint(String secret, String room, String sub, String name) {
		return mint(secret, JWSAlgorithm.HS256, claims(room, sub, name).build());
	}

	public static JWTClaimsSet.Builder claims(String room, String sub, String name) {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder().claim("room", room)
			.subject(sub)
			.claim("name", name)
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(Duration.ofHours(1))));
	}

	public static String mint(String secret, JWSAlgorithm algorithm, JWTClaimsSet claims) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
			jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** An unsecured JWT ({@code alg: none}) with these claims. */
	public static String unsigned(Map<String, Object> claims) {
		java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
		String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
		String body = b64.encodeToString(new JWTClaimsSet.Builder().claim("room", claims.get("room"))
			.subject((String) claims.get("sub"))
			.claim("name", claims.get("name"))
			.expirationTime(Date.from(Instant.now().plusSeconds(3600)))
			.build()
			.toString()
			.getBytes(StandardCharsets.UTF_8));
		return header + "." + body + ".";
	}

}
