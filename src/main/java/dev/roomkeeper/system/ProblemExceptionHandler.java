package dev.roomkeeper.system;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.tomcat.util.http.InvalidParameterException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Maps every exception that reaches Spring MVC to the contract's {@code problem+json}:
 * our own {@link RoomkeeperException}s, the framework's (malformed JSON, unknown path,
 * wrong method, ...) and anything unexpected, which becomes a 500 without a stack trace.
 */
@RestControllerAdvice
class ProblemExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Log log = LogFactory.getLog(ProblemExceptionHandler.class);

	@ExceptionHandler(RoomkeeperException.class)
	ResponseEntity<ProblemDetail> handleRoomkeeper(RoomkeeperException ex) {
		return ProblemDetails.response(ex);
	}

	/**
	 * Parameters (query string or form body) that the container could not decode, such as
	 * a bad {@code %} escape: the client's mistake, answered without a stack trace.
	 */
	@ExceptionHandler(InvalidParameterException.class)
	ResponseEntity<ProblemDetail> handleInvalidParameter(InvalidParameterException ex) {
		return ResponseEntity.badRequest()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(ProblemDetails.of(ProblemCode.INVALID_REQUEST, "The request's parameters are not validly encoded"));
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> handleUnexpected(Exception ex) {
		log.error("Unexpected error while handling a request", ex);
		return ResponseEntity.status(500)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(ProblemDetails.of(ProblemCode.INTERNAL_ERROR, "An unexpected error occurred"));
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		RoomkeeperException tooLarge = findCause(ex, RoomkeeperException.class);
		if (tooLarge != null) {
			return new ResponseEntity<>(ProblemDetails.of(tooLarge), problemHeaders(), tooLarge.problem().status());
		}
		ProblemDetail problem = ProblemDetails.of(ProblemCode.INVALID_REQUEST,
				"The request body is missing or is not valid JSON");
		problem.setProperty("errors", java.util.List.of(new RoomkeeperException.FieldError("body", "not valid JSON")));
		return new ResponseEntity<>(problem, problemHeaders(), ProblemCode.INVALID_REQUEST.status());
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
		if (response != null && response.getBody() instanceof ProblemDetail problem) {
			ProblemCode code = ProblemDetails.codeFor(statusCode);
			if (problem.getProperties() == null || !problem.getProperties().containsKey("code")) {
				problem.setProperty("code", code.code());
				problem.setType(java.net.URI.create(code.type()));
			}
		}
		return response;
	}

	private static HttpHeaders problemHeaders() {
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		return headers;
	}

	private static <T extends Throwable> T findCause(Throwable ex, Class<T> type) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

}
