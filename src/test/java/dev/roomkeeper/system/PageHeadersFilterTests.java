package dev.roomkeeper.system;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class PageHeadersFilterTests {

	private final PageHeadersFilter pages = PageHeadersFilter.forPaths("/", "/index.html", "/room.html", "/r/**");

	private final PageHeadersFilter admin = PageHeadersFilter.forPaths("/admin", "/admin/**");

	@Test
	void pathsOfTheFeatureGetEveryLockDownHeader() throws Exception {
		for (String path : new String[] { "/", "/index.html", "/room.html", "/r/ABC234", "/r/quiz-night" }) {
			assertLockedDown(this.pages, path);
		}
		for (String path : new String[] { "/admin", "/admin/", "/admin/index.html", "/admin/admin.js" }) {
			assertLockedDown(this.admin, path);
		}
	}

	@Test
	void otherPathsAreLeftAlone() throws Exception {
		for (String path : new String[] { "/r", "/room.htm", "/api/rooms", "/js/room.js", "/admin" }) {
			assertThat(filter(this.pages, path).getHeaderNames()).as(path).isEmpty();
		}
		for (String path : new String[] { "/", "/administrator", "/api/admin/stats", "/r/ABC234" }) {
			assertThat(filter(this.admin, path).getHeaderNames()).as(path).isEmpty();
		}
	}

	private static void assertLockedDown(PageHeadersFilter filter, String path) throws Exception {
		MockHttpServletResponse response = filter(filter, path);
		assertThat(response.getHeader("Content-Security-Policy")).as(path)
			.isEqualTo(PageHeadersFilter.CONTENT_SECURITY_POLICY);
		assertThat(response.getHeader("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
		assertThat(response.getHeader("X-Frame-Options")).as(path).isEqualTo("DENY");
		assertThat(response.getHeader("Referrer-Policy")).as(path).isEqualTo("no-referrer");
	}

	private static MockHttpServletResponse filter(PageHeadersFilter filter, String path) throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();
		filter.doFilter(request, response, chain);
		assertThat(chain.getRequest()).as("the request goes on").isSameAs(request);
		return response;
	}

}
