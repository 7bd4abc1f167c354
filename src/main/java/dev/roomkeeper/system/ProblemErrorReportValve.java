package dev.roomkeeper.system;

import java.io.IOException;
import java.io.Writer;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Tomcat's error report for errors that never reach the application, such as a request
 * line or header over the size limit, an encoded {@code /}, a {@code \} or {@code %00} in
 * the path, a bad {@code %} escape, or a method Tomcat does not implement
 * ({@code CONNECT}): {@code problem+json} like every other error, instead of Tomcat's
 * HTML page, and never a stack trace or server version.
 * <p>
 * The status stays Tomcat's; the code is the contract's code for it, except that 501 (a
 * method the server does not implement) is {@code method-not-allowed} and 505 (an HTTP
 * version it does not speak) is {@code invalid-request}.
 */
final class ProblemErrorReportValve extends ErrorReportValve {

	private static final Log log = LogFactory.getLog(ProblemErrorReportValve.class);

	private final JsonMapper jsonMapper;

	ProblemErrorReportValve(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
		setShowReport(false);
		setShowServerInfo(false);
	}

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || response.isCommitted()) {
			return;
		}
		try {
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setCharacterEncoding("UTF-8");
			Writer writer = response.getReporter();
			if (writer == null) {
				return;
			}
			writer.write(this.jsonMapper.writeValueAsString(problemFor(status)));
			response.finishResponse();
		}
		catch (IOException | RuntimeException ex) {
			log.debug("Could not write the error report", ex);
		}
	}

	static ProblemDetail problemFor(int status) {
		HttpStatus known = HttpStatus.resolve(status);
		ProblemCode code = switch (status) {
			case 501 -> ProblemCode.METHOD_NOT_ALLOWED;
			case 505 -> ProblemCode.INVALID_REQUEST;
			default -> ProblemDetails.codeFor(HttpStatusCode.valueOf(status));
		};
		ProblemDetail problem = ProblemDetails.of(code,
				(known != null) ? known.getReasonPhrase() : "The request was refused");
		problem.setStatus(status);
		return problem;
	}

}
