package dev.roomkeeper.system;

import java.time.Duration;
import java.util.List;

/**
 * A failure that a client caused or must react to, answered with the
 * {@link ProblemCode}'s status and a {@code problem+json} body (or a STOMP {@code error}
 * event).
 * <p>
 * The message is the problem's {@code detail}: it is shown to clients, so it never
 * contains a token, a password or a stack trace.
 */
public class RoomkeeperException extends RuntimeException {

	private final ProblemCode problem;

	private final List<FieldError> errors;

	private final Duration retryAfter;

	public RoomkeeperException(ProblemCode problem, String detail) {
		this(problem, detail, List.of(), null);
	}

	public RoomkeeperException(ProblemCode problem, String detail, List<FieldError> errors, Duration retryAfter) {
		this(problem, detail, errors, retryAfter, null);
	}

	protected RoomkeeperException(ProblemCode problem, String detail, List<FieldError> errors, Duration retryAfter,
			Throwable cause) {
		super(detail, cause, false, false);
		this.problem = problem;
		this.errors = List.copyOf(errors);
		this.retryAfter = retryAfter;
	}

	public static RoomkeeperException invalid(List<FieldError> errors) {
		String detail = errors.isEmpty() ? "The request is not valid"
				: "Invalid field" + ((errors.size() > 1) ? "s: " : ": ")
						+ String.join(", ", errors.stream().map(FieldError::field).toList());
		return new RoomkeeperException(ProblemCode.INVALID_REQUEST, detail, errors, null);
	}

	public static RoomkeeperException invalid(String field, String message) {
		return invalid(List.of(new FieldError(field, message)));
	}

	public static RoomkeeperException roomNotFound(String code) {
		return new RoomkeeperException(ProblemCode.ROOM_NOT_FOUND, "No open room with code " + code);
	}

	public static RoomkeeperException payloadTooLarge(String what, long limit) {
		return new RoomkeeperException(ProblemCode.PAYLOAD_TOO_LARGE, what + " is larger than " + limit + " bytes");
	}

	public static RoomkeeperException rateLimited(String detail, Duration retryAfter) {
		return new RoomkeeperException(ProblemCode.RATE_LIMITED, detail, List.of(), retryAfter);
	}

	public ProblemCode problem() {
		return this.problem;
	}

	public List<FieldError> errors() {
		return this.errors;
	}

	/** How long the client should wait, or {@code null}. */
	public Duration retryAfter() {
		return this.retryAfter;
	}

	/**
	 * One invalid field of a request.
	 *
	 * @param field the JSON field name (or a path such as {@code settings})
	 * @param message what is wrong with it
	 */
	public record FieldError(String field, String message) {
	}

}
