package dev.roomkeeper.system;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses API request bodies over a limit (the room feature sets it to
 * {@code rooms.limits.state-bytes} + {@code rooms.limits.message-bytes}) with
 * {@code payload-too-large}, by {@code Content-Length} when it is given and by counting
 * otherwise, so a huge body is never buffered. The admin import
 * ({@value #UNLIMITED_PATH}) is exempt: it reads its body a line at a time and limits the
 * length of each line.
 */
public class RequestSizeLimitFilter extends OncePerRequestFilter {

	private final long limit;

	private final JsonMapper jsonMapper;

	/**
	 * A filter that refuses API request bodies over the given size.
	 * @param limit the largest body in bytes
	 * @param jsonMapper writes the problem+json answer
	 */
	public RequestSizeLimitFilter(long limit, JsonMapper jsonMapper) {
		this.limit = limit;
		this.jsonMapper = jsonMapper;
	}

	/**
	 * The admin import streams an export of any size line by line and limits each line
	 * itself.
	 */
	static final String UNLIMITED_PATH = "/api/admin/import";

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String uri = request.getRequestURI();
		return !uri.startsWith("/api/") || uri.equals(UNLIMITED_PATH);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > this.limit) {
			RoomkeeperException ex = RoomkeeperException.payloadTooLarge("The request body", this.limit);
			response.setStatus(ex.problem().status().value());
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setHeader("Connection", "close");
			this.jsonMapper.writeValue(response.getOutputStream(), ProblemDetails.of(ex));
			return;
		}
		chain.doFilter(new LimitedRequest(request, this.limit), response);
	}

	private static final class LimitedRequest extends HttpServletRequestWrapper {

		private final long limit;

		private ServletInputStream stream;

		LimitedRequest(HttpServletRequest request, long limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				this.stream = new LimitedInputStream(super.getInputStream(), this.limit);
			}
			return this.stream;
		}

	}

	private static final class LimitedInputStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private final long limit;

		private long count;

		LimitedInputStream(ServletInputStream delegate, long limit) {
			this.delegate = delegate;
			this.limit = limit;
		}

		@Override
		public int read() throws IOException {
			int value = this.delegate.read();
			if (value >= 0) {
				count(1);
			}
			return value;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int read = this.delegate.read(buffer, offset, length);
			if (read > 0) {
				count(read);
			}
			return read;
		}

		private void count(int read) {
			this.count += read;
			if (this.count > this.limit) {
				throw RoomkeeperException.payloadTooLarge("The request body", this.limit);
			}
		}

		@Override
		public boolean isFinished() {
			return this.delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.delegate.setReadListener(listener);
		}

	}

}
