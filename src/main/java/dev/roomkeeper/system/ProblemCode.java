package dev.roomkeeper.system;

import org.springframework.http.HttpStatus;

/**
 * The machine-readable error codes of the public contract, each with its HTTP status.
 * <p>
 * Every 4xx/5xx answer is {@code application/problem+json} carrying one of these in its
 * {@code code} member; STOMP {@code error} events carry the same codes.
 */
public enum ProblemCode {

	INVALID_REQUEST("invalid-request", HttpStatus.BAD_REQUEST, "Invalid request"),
	UNAUTHORIZED("unauthorized", HttpStatus.UNAUTHORIZED, "Unauthorized"),
	/** A join ticket that is not valid: signature, algorithm, expiry, room or claims. */
	INVALID_TICKET("invalid-ticket", HttpStatus.UNAUTHORIZED, "Invalid ticket"),
	FORBIDDEN("forbidden", HttpStatus.FORBIDDEN, "Forbidden"),
	/** The room's {@code joinPolicy} is {@code ticket} and the join had none. */
	TICKET_REQUIRED("ticket-required", HttpStatus.FORBIDDEN, "Ticket required"),
	WRONG_PASSWORD("wrong-password", HttpStatus.FORBIDDEN, "Wrong password"),
	NOT_FOUND("not-found", HttpStatus.NOT_FOUND, "Not found"),
	ROOM_NOT_FOUND("room-not-found", HttpStatus.NOT_FOUND, "Room not found"),
	METHOD_NOT_ALLOWED("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
	NOT_ACCEPTABLE("not-acceptable", HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),
	ROOM_EXISTS("room-exists", HttpStatus.CONFLICT, "Room exists"),
	ROOM_FULL("room-full", HttpStatus.CONFLICT, "Room full"),
	ROOM_LOCKED("room-locked", HttpStatus.CONFLICT, "Room locked"),
	NAME_TAKEN("name-taken", HttpStatus.CONFLICT, "Name taken"),
	VERSION_CONFLICT("version-conflict", HttpStatus.CONFLICT, "Version conflict"),
	PAYLOAD_TOO_LARGE("payload-too-large", HttpStatus.CONTENT_TOO_LARGE, "Payload too large"),
	UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
	RATE_LIMITED("rate-limited", HttpStatus.TOO_MANY_REQUESTS, "Rate limited"),
	INTERNAL_ERROR("internal-error", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error"),
	CAPACITY("capacity", HttpStatus.SERVICE_UNAVAILABLE, "At capacity"),
	STORE_UNAVAILABLE("store-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Store unavailable"),
	/**
	 * Sent to live connections (ERROR frame) when the server shuts down: reconnect with
	 * the same token.
	 */
	SERVER_RESTARTING("server-restarting", HttpStatus.SERVICE_UNAVAILABLE, "Server restarting");

	private final String code;

	private final HttpStatus status;

	private final String title;

	ProblemCode(String code, HttpStatus status, String title) {
		this.code = code;
		this.status = status;
		this.title = title;
	}

	/** The value of the {@code code} member, e.g. {@code room-full}. */
	public String code() {
		return this.code;
	}

	public HttpStatus status() {
		return this.status;
	}

	public String title() {
		return this.title;
	}

	/** The problem {@code type} URI. */
	public String type() {
		return "urn:roomkeeper:problem:" + this.code;
	}

}
