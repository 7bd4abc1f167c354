package dev.roomkeeper.system;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, with {@code 415 unsupported-media-type}, a request whose {@code Content-Type}
 * no body can have: one that does not parse, or a wildcard ({@code *}{@code /*},
 * {@code application/*}), which only an {@code Accept} header may hold. Under
 * {@code /api/} it also refuses form and multipart bodies (except for the admin import,
 * which reads its body as lines whatever curl labels it): the API reads JSON only, and
 * the servlet container would otherwise decode such a body as parameters (where a bad
 * {@code %} escape is an exception, not a client error).
 * <p>
 * Runs first, so no later filter or controller ever sees such a request.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class ContentTypeFilter extends OncePerRequestFilter {

	private final JsonMapper jsonMapper;

	ContentTypeFilter(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String contentType = request.getHeader("Content-Type");
		String uri = request.getRequestURI();
		boolean jsonOnly = uri.startsWith("/api/") && !uri.equals(RequestSizeLimitFilter.UNLIMITED_PATH);
		String refusal = (contentType != null && !contentType.isBlank()) ? refusal(contentType, jsonOnly) : null;
		if (refusal != null) {
			response.setStatus(ProblemCode.UNSUPPORTED_MEDIA_TYPE.status().value());
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			this.jsonMapper.writeValue(response.getOutputStream(),
					ProblemDetails.of(ProblemCode.UNSUPPORTED_MEDIA_TYPE, refusal));
			return;
		}
		chain.doFilter(request, response);
	}

	/** Why a request with this {@code Content-Type} is refused, or null. */
	static String refusal(String contentType, boolean api) {
		MediaType type;
		try {
			type = MediaType.parseMediaType(contentType);
		}
		catch (InvalidMediaTypeException ex) {
			return "Content-Type is not a valid media type";
		}
		if (type.isWildcardType() || type.isWildcardSubtype()) {
			return "Content-Type must name one media type, such as application/json";
		}
		if (api && (MediaType.APPLICATION_FORM_URLENCODED.includes(type) || "multipart".equals(type.getType()))) {
			return "The API reads JSON bodies (Content-Type: application/json)";
		}
		return null;
	}

}
