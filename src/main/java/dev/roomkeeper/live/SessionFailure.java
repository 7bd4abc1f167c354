package dev.roomkeeper.live;

import dev.roomkeeper.system.ProblemCode;

/**
 * A failure that ends a STOMP session: answered with an ERROR frame carrying the
 * problem's code, after which the connection closes. Cheap to throw (no stack trace).
 */
final class SessionFailure extends RuntimeException {

	private final ProblemCode problem;

	SessionFailure(ProblemCode problem, String message) {
		super(message, null, false, false);
		this.problem = problem;
	}

	ProblemCode problem() {
		return this.problem;
	}

}
