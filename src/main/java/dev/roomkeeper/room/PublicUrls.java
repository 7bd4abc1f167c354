package dev.roomkeeper.room;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Builds the links a room hands out: {@code joinUrl} is
 * {@code {rooms.public-url}/r/{code}}, where {@code rooms.public-url} defaults to the
 * scheme, host and port of the request (after {@code X-Forwarded-*} headers from a
 * trusted proxy are applied).
 */
@Component
public class PublicUrls {

	private final RoomProperties properties;

	public PublicUrls(RoomProperties properties) {
		this.properties = properties;
	}

	/** Whether {@code rooms.public-url} is set (else links follow the request). */
	public boolean isConfigured() {
		String configured = this.properties.getPublicUrl();
		return configured != null && !configured.isBlank();
	}

	public String base(HttpServletRequest request) {
		String configured = this.properties.getPublicUrl();
		if (configured != null && !configured.isBlank()) {
			return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
		}
		return ServletUriComponentsBuilder.fromContextPath(request).replacePath(null).build().toUriString();
	}

	public String joinUrl(String base, String code) {
		return base + "/r/" + code;
	}

	public String qrUrl(String base, String code) {
		return base + "/api/rooms/" + code + "/qr.svg";
	}

}
