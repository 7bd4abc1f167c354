package dev.roomkeeper.pages;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

/**
 * Locks the lobby and the room page down, as they hold member and owner tokens: scripts,
 * styles, images and connections (the WebSocket included) only from this server, no
 * framing (no clickjacking of "Close room"), no referrer (the room code stays private).
 */
@Component
class PageHeadersFilter extends OncePerRequestFilter {

	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
			+ "form-action 'self'; frame-ancestors 'none'";

	private static final UrlPathHelper PATHS = new UrlPathHelper();

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = PATHS.getPathWithinApplication(request);
		return !(path.equals("/") || path.equals("/index.html") || path.equals("/room.html") || path.startsWith("/r/"));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setHeader("X-Frame-Options", "DENY");
		response.setHeader("Referrer-Policy", "no-referrer");
		chain.doFilter(request, response);
	}

}
