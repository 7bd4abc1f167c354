package dev.roomkeeper.live;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.util.WebUtils;

import dev.roomkeeper.live.websocket.WebSocketHandshake;
import dev.roomkeeper.live.websocket.WebSocketOptions;
import dev.roomkeeper.system.ProblemCode;
import dev.roomkeeper.system.ProblemDetails;

/**
 * The endpoint {@code /ws}: takes the WebSocket handshake and makes a
 * {@link LiveConnection} of each accepted socket.
 * <p>
 * The handshake is refused, with a {@code problem+json} answer, for a request that is not
 * a WebSocket handshake (400, 405, 426), for an {@code Origin} that is neither the
 * server's own nor allowed by {@code rooms.allowed-origins} (403; requests without
 * {@code Origin}, i.e. non-browser clients, are allowed), for an address at
 * {@code rooms.limits.connections-per-address} (429), and once shutdown has begun (503).
 * <p>
 * It accepts the WebSocket subprotocols {@code v10.stomp}, {@code v11.stomp} and
 * {@code v12.stomp}: browsers fail a handshake that offered subprotocols (stomp.js always
 * does) unless the server picks one. The STOMP version itself is settled by
 * {@code CONNECT}'s {@code accept-version}.
 */
final class StompEndpoint extends HttpServlet {

	private static final List<String> SUBPROTOCOLS = List.of("v12.stomp", "v11.stomp", "v10.stomp");

	private final transient LiveContext context;

	private final transient CorsConfiguration allowedOrigins = new CorsConfiguration();

	private final transient WebSocketOptions options;

	private final transient JsonMapper jsonMapper;

	StompEndpoint(LiveContext context, List<String> allowedOriginPatterns) {
		this.context = context;
		this.allowedOrigins.setAllowedOriginPatterns(allowedOriginPatterns);
		this.options = new WebSocketOptions(context.settings().sendBufferBytes(),
				context.settings().sendTimeLimitMillis());
		this.jsonMapper = context.jsonMapper();
	}

	@Override
	protected void service(HttpServletRequest request, HttpServletResponse response)
			throws ServletException, IOException {
		WebSocketHandshake.Refusal refusal = WebSocketHandshake.check(request);
		if (refusal != null) {
			if (refusal.status() == 405) {
				response.setHeader("Allow", "GET");
			}
			else if (refusal.status() == 426) {
				response.setHeader("Sec-WebSocket-Version", "13");
			}
			refuse(response, refusal.status(),
					ProblemDetails.codeFor(org.springframework.http.HttpStatusCode.valueOf(refusal.status())),
					refusal.message());
			return;
		}
		LiveConnectionRegistry registry = this.context.registry();
		if (!registry.acceptsConnections()) {
			refuse(response, 503, ProblemCode.SERVER_RESTARTING, LiveConnection.RESTARTING_MESSAGE);
			return;
		}
		if (!isAllowedOrigin(request)) {
			refuse(response, 403, ProblemCode.FORBIDDEN, "This Origin may not open live connections");
			return;
		}
		String address = request.getRemoteAddr();
		if (!registry.allows(address)) {
			refuse(response, 429, ProblemCode.RATE_LIMITED, "Too many connections from this address");
			return;
		}
		WebSocketHandshake.accept(request, response, chooseSubprotocol(request),
				(socket) -> LiveConnection.open(this.context, socket, address), this.options);
	}

	private boolean isAllowedOrigin(HttpServletRequest request) {
		ServletServerHttpRequest http = new ServletServerHttpRequest(request);
		return WebUtils.isSameOrigin(http) || this.allowedOrigins.checkOrigin(request.getHeader("Origin")) != null;
	}

	private static String chooseSubprotocol(HttpServletRequest request) {
		List<String> offered = WebSocketHandshake.offeredSubprotocols(request);
		for (String supported : SUBPROTOCOLS) {
			if (offered.contains(supported)) {
				return supported;
			}
		}
		return null;
	}

	private void refuse(HttpServletResponse response, int status, ProblemCode code, String detail) throws IOException {
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		org.springframework.http.ProblemDetail problem = ProblemDetails.of(code, detail);
		problem.setStatus(status);
		this.jsonMapper.writeValue(response.getOutputStream(), problem);
	}

}
