package dev.roomkeeper.pages;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import dev.roomkeeper.room.RoomProperties;

/**
 * Lets apps on other origins use Roomkeeper from the browser with the client module:
 * <ul>
 * <li>{@code /js/**} and {@code /webjars/**} (public scripts) may be loaded from any
 * origin, as module scripts are fetched with CORS;</li>
 * <li>the rooms API ({@code /api/rooms/**}) answers CORS requests from the origins in
 * {@code rooms.allowed-origins} (the same list that may open the WebSocket; empty means
 * same origin only). Tokens travel in {@code Authorization}, never in cookies, so no
 * credentials are allowed.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class CrossOriginConfiguration implements WebMvcConfigurer {

	private final RoomProperties properties;

	CrossOriginConfiguration(RoomProperties properties) {
		this.properties = properties;
	}

	@Override
	public void addCorsMappings(CorsRegistry registry) {
		registry.addMapping("/js/**").allowedOrigins("*").allowedMethods("GET", "HEAD");
		registry.addMapping("/webjars/**").allowedOrigins("*").allowedMethods("GET", "HEAD");
		String[] origins = this.properties.getAllowedOrigins().toArray(String[]::new);
		if (origins.length > 0) {
			registry.addMapping("/api/rooms/**")
				.allowedOriginPatterns(origins)
				.allowedMethods("GET", "HEAD", "POST", "PATCH", "DELETE")
				.allowedHeaders(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, HttpHeaders.ACCEPT,
						HttpHeaders.IF_NONE_MATCH)
				.exposedHeaders(HttpHeaders.LOCATION, HttpHeaders.RETRY_AFTER, HttpHeaders.ETAG)
				.maxAge(3600);
		}
	}

}
