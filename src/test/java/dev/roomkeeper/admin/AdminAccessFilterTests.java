package dev.roomkeeper.admin;

import java.time.Clock;

import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import dev.roomkeeper.room.FailedLookupLimiter;
import dev.roomkeeper.room.RoomProperties;

import static org.assertj.core.api.Assertions.assertThat;

class AdminAccessFilterTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String TOKEN = "a-long-enough-admin-token-123456";

	@Test
	void withoutAdminTokenEveryAdminPathIsNotFoundEvenWithBearer() throws Exception {
		AdminAccessFilter filter = filter(null, 20);
		for (String path : new String[] { "/api/admin", "/api/admin/stats", "/api/admin/export" }) {
			MockHttpServletResponse response = run(filter, path, "Bearer anything");
			assertThat(response.getStatus()).isEqualTo(404);
			assertThat(response.getContentAsString()).contains("\"code\":\"not-found\"");
		}
		assertThat(run(filter(" ", 20), "/api/admin/stats", null).getStatus()).isEqualTo(404);
	}

	@Test
	void otherPathsAreNotGuarded() throws Exception {
		AdminAccessFilter filter = filter(TOKEN, 20);
		assertThat(run(filter, "/api/rooms", null).getStatus()).isEqualTo(200);
		assertThat(run(filter, "/api/administrator", null).getStatus()).isEqualTo(200);
		assertThat(run(filter, "/admin", null).getStatus()).isEqualTo(200);
	}

	@Test
	void rightTokenPassesAndMarksRequestAuthorized() throws Exception {
		AdminAccessFilter filter = filter(TOKEN, 20);
		MockHttpServletRequest request = request("/api/admin/stats", "Bearer " + TOKEN);
		MockHttpServletResponse response = new MockHttpServletResponse();
		filter.doFilter(request, response, new MockFilterChain());
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(request.getAttribute(AdminAccessFilter.AUTHORIZED)).isEqualTo(Boolean.TRUE);
		assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
	}

	@Test
	void wrongTokensCountAsFailedLookUpsUntilTheAddressIsRateLimited() throws Exception {
		AdminAccessFilter filter = filter(TOKEN, 3);
		for (int i = 0; i < 3; i++) {
			assertThat(run(filter, "/api/admin/stats", "Bearer guess-" + i).getStatus()).isEqualTo(401);
		}
		MockHttpServletResponse limited = run(filter, "/api/admin/stats", "Bearer " + TOKEN);
		assertThat(limited.getStatus()).isEqualTo(429);
		assertThat(limited.getHeader("Retry-After")).isNotBlank();
		assertThat(limited.getContentAsString()).contains("\"code\":\"rate-limited\"");
	}

	@Test
	void missingTokenIsUnauthorizedWithoutCountingAsGuess() throws Exception {
		AdminAccessFilter filter = filter(TOKEN, 1);
		for (int i = 0; i < 3; i++) {
			assertThat(run(filter, "/api/admin/stats", null).getStatus()).isEqualTo(401);
		}
		assertThat(run(filter, "/api/admin/stats", "Bearer " + TOKEN).getStatus()).isEqualTo(200);
	}

	@Test
	void encodedPathIsGuardedLikeThePathItDecodesTo() throws Exception {
		AdminAccessFilter filter = filter(TOKEN, 20);
		MockHttpServletRequest request = request("/api/%61dmin/stats", null);
		MockHttpServletResponse response = new MockHttpServletResponse();
		filter.doFilter(request, response, new MockFilterChain());
		assertThat(response.getStatus()).isEqualTo(401);
	}

	private static MockHttpServletResponse run(AdminAccessFilter filter, String path, String authorization)
			throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		FilterChain chain = new MockFilterChain();
		filter.doFilter(request(path, authorization), response, chain);
		return response;
	}

	private static MockHttpServletRequest request(String path, String authorization) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
		request.setRemoteAddr("192.0.2.7");
		if (authorization != null) {
			request.addHeader("Authorization", authorization);
		}
		return request;
	}

	private static AdminAccessFilter filter(String adminToken, int failedLookUpsPerMinute) {
		RoomProperties properties = new RoomProperties();
		properties.setAdminToken(adminToken);
		properties.getLimits().setFailedJoinsPerMinute(failedLookUpsPerMinute);
		return new AdminAccessFilter(properties, new FailedLookupLimiter(properties, Clock.systemUTC()), JSON);
	}

}
