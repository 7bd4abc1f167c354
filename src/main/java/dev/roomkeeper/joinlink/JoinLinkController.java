package dev.roomkeeper.joinlink;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.roomkeeper.room.AddressCounts;
import dev.roomkeeper.room.AddressLimit;
import dev.roomkeeper.room.LocalAddressCounts;
import dev.roomkeeper.room.PublicUrls;
import dev.roomkeeper.room.Room;
import dev.roomkeeper.room.RoomProperties;
import dev.roomkeeper.room.RoomService;
import dev.roomkeeper.system.RoomkeeperException;

/**
 * QR codes of a room's {@code joinUrl} ({@code {rooms.public-url}/r/{code}}, or built
 * from the request and the {@code X-Forwarded-*} headers of a trusted proxy):
 * <ul>
 * <li>{@code GET /api/rooms/{code}/qr.svg}: {@code image/svg+xml};</li>
 * <li>{@code GET /api/rooms/{code}/qr.png?size=N}: {@code image/png}, {@code N} ×
 * {@code N} pixels, 64 to 1024 (default 256); another size answers
 * {@code invalid-request} with {@code errors}.</li>
 * </ul>
 * Anyone may ask. A room that is not open answers {@code room-not-found}, which counts as
 * a failed look-up of the client address like {@code GET /api/rooms/{code}}: otherwise
 * the endpoint would tell which codes exist without limit. Answers carry
 * {@code Cache-Control: public, max-age=3600}, a strong {@code ETag} (a repeated request
 * with {@code If-None-Match} gets {@code 304}) and, when the join URL comes from the
 * request, {@code Vary} on the headers it was built from.
 * <p>
 * Each address may ask for {@code rooms.limits.qr-per-minute} images a minute (counted
 * across instances on the Redis store); past that, {@code rate-limited} with
 * {@code Retry-After}. Rendered images are cached ({@link QrImageCache}).
 */
@RestController
class JoinLinkController {

	static final int MIN_SIZE = 64;

	static final int MAX_SIZE = 1024;

	static final int DEFAULT_SIZE = 256;

	private static final MediaType SVG = MediaType.parseMediaType("image/svg+xml");

	private static final CacheControl CACHE = CacheControl.maxAge(Duration.ofHours(1)).cachePublic();

	private static final String[] REQUEST_HEADERS = { HttpHeaders.HOST, "X-Forwarded-Host", "X-Forwarded-Proto",
			"X-Forwarded-Port" };

	private final RoomService rooms;

	private final PublicUrls publicUrls;

	private final QrImageCache images = new QrImageCache();

	private final AddressLimit requests;

	JoinLinkController(RoomService rooms, PublicUrls publicUrls, RoomProperties properties, Clock clock,
			ObjectProvider<AddressCounts> counts) {
		this.rooms = rooms;
		this.publicUrls = publicUrls;
		this.requests = new AddressLimit(counts.getIfAvailable(LocalAddressCounts::new), "qr",
				properties.getLimits().getQrPerMinute(), clock,
				"Too many QR images from this address; try again later");
	}

	@GetMapping("/api/rooms/{code}/qr.svg")
	ResponseEntity<String> svg(@PathVariable String code, HttpServletRequest request) {
		String joinUrl = joinUrl(code, request);
		return image(request, SVG, etag("svg", joinUrl)).body(this.images.svg(joinUrl, () -> QrCodes.svg(joinUrl)));
	}

	@GetMapping("/api/rooms/{code}/qr.png")
	ResponseEntity<byte[]> png(@PathVariable String code, @RequestParam(name = "size", required = false) String size,
			HttpServletRequest request) {
		int pixels = parseSize(size);
		String joinUrl = joinUrl(code, request);
		return image(request, MediaType.IMAGE_PNG, etag("png" + pixels, joinUrl))
			.body(this.images.png(joinUrl, pixels, () -> QrCodes.png(joinUrl, pixels)));
	}

	private String joinUrl(String code, HttpServletRequest request) {
		this.requests.checkAndRecord(request.getRemoteAddr());
		Room room = this.rooms.lookUp(code, request.getRemoteAddr());
		return this.publicUrls.joinUrl(this.publicUrls.base(request), room.code());
	}

	private ResponseEntity.BodyBuilder image(HttpServletRequest request, MediaType type, String etag) {
		ResponseEntity.BodyBuilder builder = ResponseEntity.ok().contentType(type).cacheControl(CACHE).eTag(etag);
		if (!this.publicUrls.isConfigured()) {
			builder.varyBy(REQUEST_HEADERS);
		}
		return builder;
	}

	static int parseSize(String size) {
		if (size == null) {
			return DEFAULT_SIZE;
		}
		try {
			int value = Integer.parseInt(size.trim());
			if (value >= MIN_SIZE && value <= MAX_SIZE) {
				return value;
			}
		}
		catch (NumberFormatException ex) {
			// answered below
		}
		throw RoomkeeperException.invalid("size",
				"must be a whole number of pixels from " + MIN_SIZE + " to " + MAX_SIZE);
	}

	private static String etag(String variant, String joinUrl) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest((variant + " " + joinUrl).getBytes(StandardCharsets.UTF_8));
			return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
