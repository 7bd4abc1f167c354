package dev.roomkeeper.system;

import java.net.URI;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * Builds the {@code application/problem+json} answers of the contract: {@code type},
 * {@code title}, {@code status}, {@code detail}, {@code code} and, for invalid requests,
 * {@code errors}.
 */
public final class ProblemDetails {

	private ProblemDetails() {
	}

	public static ProblemDetail of(ProblemCode code, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(code.status(), detail);
		problem.setType(URI.create(code.type()));
		problem.setTitle(code.title());
		problem.setProperty("code", code.code());
		return problem;
	}

	public static ProblemDetail of(RoomkeeperException ex) {
		ProblemDetail problem = of(ex.problem(), ex.getMessage());
		if (ex.problem() == ProblemCode.INVALID_REQUEST) {
			List<RoomkeeperException.FieldError> errors = ex.errors();
			problem.setProperty("errors", errors);
		}
		return problem;
	}

	/** The contract's code for a status that the framework produced on its own. */
	public static ProblemCode codeFor(HttpStatusCode status) {
		return switch (status.value()) {
			case 400 -> ProblemCode.INVALID_REQUEST;
			case 401 -> ProblemCode.UNAUTHORIZED;
			case 403 -> ProblemCode.FORBIDDEN;
			case 404 -> ProblemCode.NOT_FOUND;
			case 405 -> ProblemCode.METHOD_NOT_ALLOWED;
			case 406 -> ProblemCode.NOT_ACCEPTABLE;
			case 413 -> ProblemCode.PAYLOAD_TOO_LARGE;
			case 415 -> ProblemCode.UNSUPPORTED_MEDIA_TYPE;
			case 429 -> ProblemCode.RATE_LIMITED;
			case 503 -> ProblemCode.STORE_UNAVAILABLE;
			default -> (status.is4xxClientError() ? ProblemCode.INVALID_REQUEST : ProblemCode.INTERNAL_ERROR);
		};
	}

	public static ResponseEntity<ProblemDetail> response(RoomkeeperException ex) {
		ResponseEntity.BodyBuilder builder = ResponseEntity.status(ex.problem().status())
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		if (ex.retryAfter() != null) {
			long seconds = Math.max(1, (ex.retryAfter().toMillis() + 999) / 1000);
			builder.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
		}
		return builder.body(of(ex));
	}

}
