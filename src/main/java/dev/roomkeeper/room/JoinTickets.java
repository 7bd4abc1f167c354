package dev.roomkeeper.room;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

import dev.roomkeeper.room.event.MemberRole;
import dev.roomkeeper.system.ProblemCode;
import dev.roomkeeper.system.RoomkeeperException;

/**
 * Verifies join tickets: JWTs the app's backend signs with HS256 and one of
 * {@code rooms.tickets.secrets} (at least 32 bytes each; several allow rotation).
 * <p>
 * Verification is Nimbus JOSE+JWT's: a JWS with {@code alg} HS256 only ({@code none},
 * other HMACs and every asymmetric algorithm are refused before any key is tried), its
 * signature checked against each secret. The claims are then checked with the injected
 * clock: {@code room} (this room's code), {@code sub} (1–128 characters), {@code name}
 * (1–32 characters), {@code role} ({@code member} or {@code owner}, default member),
 * {@code metadata} (an object, optional), {@code exp} (required, in the future and at
 * most 24 h ahead), {@code iat} (optional, not in the future). Anything else answers
 * {@code invalid-ticket}.
 */
@Component
public class JoinTickets {

	static final int MIN_SECRET_BYTES = 32;

	static final Duration MAX_LIFETIME = Duration.ofHours(24);

	/** Tolerated difference between the backend's clock and ours. */
	static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

	static final int MAX_SUB = 128;

	private final DefaultJWTProcessor<SecurityContext> processor;

	private final boolean enabled;

	private final JsonMapper jsonMapper;

	private final Clock clock;

	public JoinTickets(RoomProperties properties, JsonMapper jsonMapper, Clock clock) {
		this.jsonMapper = jsonMapper;
		this.clock = clock;
		List<OctetSequenceKey> keys = new ArrayList<>();
		for (String secret : properties.getTickets().getSecrets()) {
			String trimmed = secret.trim();
			if (trimmed.isEmpty()) {
				continue;
			}
			if (trimmed.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
				throw new IllegalStateException(
						"rooms.tickets.secrets: every secret must be at least " + MIN_SECRET_BYTES + " bytes");
			}
			keys.add(new OctetSequenceKey.Builder(trimmed.getBytes(StandardCharsets.UTF_8)).build());
		}
		this.enabled = !keys.isEmpty();
		this.processor = new DefaultJWTProcessor<>();
		this.processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256,
				new ImmutableJWKSet<>(new JWKSet(List.copyOf(keys)))));
		// Claims are checked below, with the injected clock.
		this.processor.setJWTClaimsSetVerifier((claims, context) -> {
		});
	}

	/** What a verified ticket says. */
	public record Ticket(String room, String sub, String name, MemberRole role, ObjectNode metadata) {
	}

	/**
	 * Verifies a ticket for a room.
	 * @param ticket the compact JWT
	 * @param code the upper-case code of the room it must name
	 * @throws RoomkeeperException {@code invalid-ticket} if it is not valid for the room
	 */
	public Ticket verify(String ticket, String code) {
		Ticket verified = verify(ticket);
		if (!verified.room().equals(code)) {
			throw invalid("the ticket is for another room");
		}
		return verified;
	}

	/**
	 * Verifies a ticket for whichever room it names (STOMP {@code CONNECT}).
	 * @throws RoomkeeperException {@code invalid-ticket} if it is not valid
	 */
	public Ticket verify(String ticket) {
		if (!this.enabled) {
			throw invalid("join tickets are not enabled on this server (rooms.tickets.secrets)");
		}
		if (ticket == null || ticket.isBlank() || ticket.length() > 16_384) {
			throw invalid("no ticket");
		}
		JWTClaimsSet claims;
		try {
			claims = this.processor.process(ticket.trim(), null);
		}
		catch (ParseException ex) {
			throw invalid("the ticket is not a JWT");
		}
		catch (BadJOSEException ex) {
			throw invalid("the ticket's signature or algorithm is not accepted (HS256 with a configured secret)");
		}
		catch (JOSEException | RuntimeException ex) {
			throw invalid("the ticket cannot be verified");
		}
		return checkClaims(claims);
	}

	private Ticket checkClaims(JWTClaimsSet claims) {
		Instant now = this.clock.instant();
		Date exp = claims.getExpirationTime();
		if (exp == null) {
			throw invalid("the claim exp is required");
		}
		if (!exp.toInstant().isAfter(now.minus(CLOCK_SKEW))) {
			throw invalid("the ticket expired");
		}
		if (exp.toInstant().isAfter(now.plus(MAX_LIFETIME).plus(CLOCK_SKEW))) {
			throw invalid("exp is more than 24 hours ahead");
		}
		Date iat = claims.getIssueTime();
		if (iat != null && iat.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
			throw invalid("iat is in the future");
		}
		String room = stringClaim(claims, "room");
		if (room == null || !RoomCodes.isValid(room)) {
			throw invalid("the claim room (a room code) is required");
		}
		String sub = claims.getSubject();
		if (sub == null || sub.isEmpty() || sub.length() > MAX_SUB) {
			throw invalid("the claim sub (1 to " + MAX_SUB + " characters) is required");
		}
		String name = stringClaim(claims, "name");
		if (name == null || name.isBlank() || name.length() > JoinRoomRequest.MAX_NAME) {
			throw invalid("the claim name (1 to " + JoinRoomRequest.MAX_NAME + " characters) is required");
		}
		String role = stringClaim(claims, "role");
		MemberRole memberRole;
		if (role == null || role.equals("member")) {
			memberRole = MemberRole.MEMBER;
		}
		else if (role.equals("owner")) {
			memberRole = MemberRole.OWNER;
		}
		else {
			throw invalid("the claim role must be member or owner");
		}
		Object metadata = claims.getClaim("metadata");
		ObjectNode metadataNode = null;
		if (metadata != null) {
			if (!(metadata instanceof Map<?, ?>)) {
				throw invalid("the claim metadata must be an object");
			}
			JsonNode node = this.jsonMapper.valueToTree(metadata);
			metadataNode = (ObjectNode) node;
		}
		return new Ticket(RoomCodes.normalizeIfValid(room).orElseThrow(), sub, name, memberRole, metadataNode);
	}

	private static String stringClaim(JWTClaimsSet claims, String name) {
		Object value = claims.getClaim(name);
		if (value == null) {
			return null;
		}
		if (!(value instanceof String string)) {
			throw invalid("the claim " + name + " must be a string");
		}
		return string;
	}

	private static RoomkeeperException invalid(String detail) {
		return new RoomkeeperException(ProblemCode.INVALID_TICKET, "Invalid ticket: " + detail);
	}

}
