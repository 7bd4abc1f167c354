package dev.roomkeeper.system;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers errors that never reached a controller (raised by a filter or the servlet
 * container) with {@code problem+json} too, instead of Spring Boot's default error JSON.
 */
@RestController
class ProblemErrorController implements ErrorController {

	@RequestMapping(path = "${server.error.path:/error}", produces = { MediaType.APPLICATION_PROBLEM_JSON_VALUE,
			MediaType.APPLICATION_JSON_VALUE, MediaType.ALL_VALUE })
	ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		Object attribute = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
		if (attribute instanceof RoomkeeperException ex) {
			return ProblemDetails.response(ex);
		}
		if (attribute instanceof org.apache.tomcat.util.http.InvalidParameterException) {
			return ResponseEntity.badRequest()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.body(ProblemDetails.of(ProblemCode.INVALID_REQUEST,
						"The request's parameters are not validly encoded"));
		}
		Object statusAttribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		// Without a status, the error page was asked for directly: there is nothing here.
		int status = (statusAttribute instanceof Integer value) ? value : 404;
		HttpStatus httpStatus = HttpStatus.resolve(status);
		if (httpStatus == null) {
			httpStatus = HttpStatus.INTERNAL_SERVER_ERROR;
		}
		ProblemCode code = ProblemDetails.codeFor(httpStatus);
		ProblemDetail problem = ProblemDetails.of(code, httpStatus.getReasonPhrase());
		problem.setStatus(httpStatus.value());
		return ResponseEntity.status(httpStatus).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

}
