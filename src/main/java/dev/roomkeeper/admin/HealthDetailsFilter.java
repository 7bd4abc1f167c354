package dev.roomkeeper.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.roomkeeper.room.BearerToken;
import dev.roomkeeper.room.FailedLookupLimiter;
import dev.roomkeeper.room.RoomProperties;
import dev.roomkeeper.system.RoomkeeperException;

/**
 * {@code /actuator/health} shows its details (the store's directory, free bytes, Redis
 * latency, ...) only to the holder of the admin token
 * ({@code Authorization: Bearer <rooms.admin-token>}); anyone else, platform health
 * checks included, gets the status alone (200 {@code UP} or 503 {@code DOWN}).
 * <p>
 * The health endpoint shows details to a request with a user principal
 * ({@code management.endpoint.health.show-details=when-authorized}); this filter gives
 * one to a request with the admin token. A wrong token counts as a failed look-up of the
 * address, as on the admin API; a limited address gets no details, never an error.
 */
@Component
class HealthDetailsFilter extends OncePerRequestFilter {

	static final String PATH = "/actuator/health";

	private static final Principal ADMIN = () -> "admin";

	private final byte[] adminTokenDigest;

	private final FailedLookupLimiter lookupLimiter;

	HealthDetailsFilter(RoomProperties properties, FailedLookupLimiter lookupLimiter) {
		String adminToken = properties.getAdminToken();
		this.adminTokenDigest = (adminToken != null && !adminToken.isBlank()) ? sha256(adminToken) : null;
		this.lookupLimiter = lookupLimiter;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI();
		return !(path.equals(PATH) || path.startsWith(PATH + "/"));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (hasAdminToken(request)) {
			response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
			chain.doFilter(new AdminRequest(request), response);
			return;
		}
		chain.doFilter(request, response);
	}

	private boolean hasAdminToken(HttpServletRequest request) {
		String token = BearerToken.of(request.getHeader(HttpHeaders.AUTHORIZATION));
		if (this.adminTokenDigest == null || token == null) {
			return false;
		}
		String address = request.getRemoteAddr();
		try {
			this.lookupLimiter.check(address);
		}
		catch (RoomkeeperException ex) {
			return false;
		}
		if (MessageDigest.isEqual(this.adminTokenDigest, sha256(token))) {
			return true;
		}
		this.lookupLimiter.recordFailure(address);
		return false;
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	private static final class AdminRequest extends HttpServletRequestWrapper {

		AdminRequest(HttpServletRequest request) {
			super(request);
		}

		@Override
		public Principal getUserPrincipal() {
			return ADMIN;
		}

	}

}
