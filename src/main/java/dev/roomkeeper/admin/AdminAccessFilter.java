package dev.roomkeeper.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

import dev.roomkeeper.room.BearerToken;
import dev.roomkeeper.room.FailedLookupLimiter;
import dev.roomkeeper.room.RoomProperties;
import dev.roomkeeper.system.LogLine;
import dev.roomkeeper.system.ProblemCode;
import dev.roomkeeper.system.ProblemDetails;
import dev.roomkeeper.system.RoomkeeperException;

/**
 * Guards everything under {@code /api/admin}: while {@code rooms.admin-token} is unset it
 * answers 404 {@code not-found} (the admin API does not exist); once set, every request
 * needs {@code Authorization: Bearer <admin token>}, else 401 {@code unauthorized}.
 * <p>
 * Tokens are compared in constant time (as SHA-256 digests, so neither the content nor
 * the length leaks through timing). A wrong token counts as a failed look-up of the
 * client address ({@code rooms.limits.failed-joins-per-minute}), so guessing is throttled
 * like room codes and passwords. Admin answers are never cached.
 */
@Component
class AdminAccessFilter extends OncePerRequestFilter {

	/** Set on requests that passed the check; the admin controller refuses others. */
	static final String AUTHORIZED = AdminAccessFilter.class.getName() + ".AUTHORIZED";

	static final String PATH = "/api/admin";

	private static final Log log = LogFactory.getLog(AdminAccessFilter.class);

	private static final int SHORT_TOKEN = 16;

	private static final UrlPathHelper PATHS = new UrlPathHelper();

	private final byte[] adminTokenDigest;

	private final FailedLookupLimiter lookupLimiter;

	private final JsonMapper jsonMapper;

	AdminAccessFilter(RoomProperties properties, FailedLookupLimiter lookupLimiter, JsonMapper jsonMapper) {
		String adminToken = properties.getAdminToken();
		boolean enabled = adminToken != null && !adminToken.isBlank();
		this.adminTokenDigest = enabled ? sha256(adminToken) : null;
		this.lookupLimiter = lookupLimiter;
		this.jsonMapper = jsonMapper;
		log.info(LogLine.of("admin-api").with("enabled", enabled));
		if (enabled && adminToken.length() < SHORT_TOKEN) {
			log.warn(LogLine.of("admin-token-short")
				.with("minLength", SHORT_TOKEN)
				.with("hint", "use a long random rooms.admin-token, e.g. openssl rand -base64 32"));
		}
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		// The decoded, normalised path: the one Spring MVC matches handlers against.
		String path = PATHS.getPathWithinApplication(request);
		return !(path.equals(PATH) || path.startsWith(PATH + "/"));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			authorize(request);
		}
		catch (RoomkeeperException ex) {
			writeProblem(response, ex);
			return;
		}
		request.setAttribute(AUTHORIZED, Boolean.TRUE);
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		chain.doFilter(request, response);
	}

	private void authorize(HttpServletRequest request) {
		if (this.adminTokenDigest == null) {
			throw new RoomkeeperException(ProblemCode.NOT_FOUND, "No such resource");
		}
		String address = request.getRemoteAddr();
		this.lookupLimiter.check(address);
		String token = BearerToken.of(request.getHeader(HttpHeaders.AUTHORIZATION));
		if (token == null) {
			throw new RoomkeeperException(ProblemCode.UNAUTHORIZED, "Authorization: Bearer <admin token> is required");
		}
		if (!MessageDigest.isEqual(this.adminTokenDigest, sha256(token))) {
			this.lookupLimiter.recordFailure(address);
			throw new RoomkeeperException(ProblemCode.UNAUTHORIZED, "The admin token is not valid");
		}
	}

	private void writeProblem(HttpServletResponse response, RoomkeeperException ex) throws IOException {
		ResponseEntity<?> problem = ProblemDetails.response(ex);
		response.setStatus(problem.getStatusCode().value());
		problem.getHeaders().forEach((name, values) -> values.forEach((value) -> response.addHeader(name, value)));
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		this.jsonMapper.writeValue(response.getOutputStream(), problem.getBody());
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
