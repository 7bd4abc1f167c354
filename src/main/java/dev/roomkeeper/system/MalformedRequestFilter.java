package dev.roomkeeper.system;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers requests that later code would trip over as the client's mistakes. A path with
 * a {@code %} not followed by two hex digits (Tomcat refuses those itself, except inside
 * a path parameter such as {@code ;x=%zz}) answers {@code 400 invalid-request}.
 * <p>
 * Refuses, with {@code 415 unsupported-media-type}, a request whose {@code Content-Type}
 * no body can have: one that does not parse, or a wildcard ({@code *}{@code /*},
 * {@code application/*}), which only an {@code Accept} header may hold. It also refuses
 * form and multipart bodies (except for the admin import, which reads its body as lines
 * whatever curl labels it): nothing here takes a form, and the servlet container would
 * otherwise decode such a body as parameters (where a bad {@code %} escape is an
 * exception, not a client error). An {@code Accept} header that does not parse is ignored
 * (as if absent), so the answer, even an error, is never an empty 406.
 * <p>
 * Runs first, so no later filter or controller ever sees such a request.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class MalformedRequestFilter extends OncePerRequestFilter {

	private final JsonMapper jsonMapper;

	MalformedRequestFilter(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	/** Also on the error page's dispatch, which sees the original request again. */
	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (hasBadEscape(request.getRequestURI())) {
			writeProblem(response, ProblemCode.INVALID_REQUEST,
					"The path has a % that is not followed by two hex digits");
			return;
		}
		Object originalUri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		if (request.getDispatcherType() == DispatcherType.ERROR && originalUri instanceof String uri
				&& hasBadEscape(uri)) {
			// An error the container raised before this filter saw the request (TRACE):
			// the error page could not decode the path either.
			Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
			ProblemDetail problem = ProblemErrorReportValve.problemFor((status instanceof Integer code) ? code : 400);
			response.setStatus(problem.getStatus());
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			this.jsonMapper.writeValue(response.getOutputStream(), problem);
			return;
		}
		String contentType = request.getHeader("Content-Type");
		boolean noForms = !request.getRequestURI().equals(RequestSizeLimitFilter.UNLIMITED_PATH);
		String refusal = (contentType != null && !contentType.isBlank()) ? refusal(contentType, noForms) : null;
		if (refusal != null) {
			writeProblem(response, ProblemCode.UNSUPPORTED_MEDIA_TYPE, refusal);
			return;
		}
		String accept = request.getHeader(HttpHeaders.ACCEPT);
		chain.doFilter((accept != null && !isValidAccept(accept)) ? new WithoutAccept(request) : request, response);
	}

	private void writeProblem(HttpServletResponse response, ProblemCode code, String detail) throws IOException {
		response.setStatus(code.status().value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		this.jsonMapper.writeValue(response.getOutputStream(), ProblemDetails.of(code, detail));
	}

	static boolean hasBadEscape(String uri) {
		for (int i = uri.indexOf('%'); i >= 0; i = uri.indexOf('%', i + 1)) {
			if (i + 2 >= uri.length() || Character.digit(uri.charAt(i + 1), 16) < 0
					|| Character.digit(uri.charAt(i + 2), 16) < 0) {
				return true;
			}
		}
		return false;
	}

	private static boolean isValidAccept(String accept) {
		try {
			MediaType.parseMediaTypes(accept);
			return true;
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	/** Why a request with this {@code Content-Type} is refused, or null. */
	static String refusal(String contentType, boolean noForms) {
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
		if (noForms && (MediaType.APPLICATION_FORM_URLENCODED.includes(type) || "multipart".equals(type.getType()))) {
			return "Request bodies are JSON (Content-Type: application/json)";
		}
		return null;
	}

	/** A request whose {@code Accept} header does not parse, seen as one without it. */
	private static final class WithoutAccept extends HttpServletRequestWrapper {

		WithoutAccept(HttpServletRequest request) {
			super(request);
		}

		@Override
		public String getHeader(String name) {
			return HttpHeaders.ACCEPT.equalsIgnoreCase(name) ? null : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return HttpHeaders.ACCEPT.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			List<String> names = Collections.list(super.getHeaderNames());
			names.removeIf(HttpHeaders.ACCEPT::equalsIgnoreCase);
			return Collections.enumeration(names);
		}

	}

}
