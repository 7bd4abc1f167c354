package dev.roomkeeper.system;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

/**
 * Locks a page that holds tokens down (the lobby, the room page, the admin page): it may
 * load scripts, styles, images and connections (the WebSocket included) only from this
 * server, may not be framed (no clickjacking), and sends no referrer (room codes stay
 * private). One bean per feature names that feature's pages, e.g.
 * {@code PageHeadersFilter.forPaths("/admin", "/admin/**")}.
 */
public final class PageHeadersFilter extends OncePerRequestFilter {

	public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
			+ "form-action 'self'; frame-ancestors 'none'";

	private static final String ANY_BELOW = "/**";

	private static final UrlPathHelper PATHS = new UrlPathHelper();

	private final List<String> exactPaths;

	private final List<String> prefixes;

	private PageHeadersFilter(List<String> exactPaths, List<String> prefixes) {
		this.exactPaths = exactPaths;
		this.prefixes = prefixes;
	}

	/**
	 * A filter for the given paths within the application: each is either exact
	 * ({@code /admin}) or ends in {@code /**} for every path below it ({@code /r/**}
	 * matches {@code /r/ABC234}, not {@code /r}).
	 */
	public static PageHeadersFilter forPaths(String... paths) {
		List<String> exact = Arrays.stream(paths).filter((path) -> !path.endsWith(ANY_BELOW)).toList();
		List<String> prefixes = Arrays.stream(paths)
			.filter((path) -> path.endsWith(ANY_BELOW))
			.map((path) -> path.substring(0, path.length() - ANY_BELOW.length() + 1))
			.toList();
		return new PageHeadersFilter(exact, prefixes);
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = PATHS.getPathWithinApplication(request);
		return !this.exactPaths.contains(path) && this.prefixes.stream().noneMatch(path::startsWith);
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
