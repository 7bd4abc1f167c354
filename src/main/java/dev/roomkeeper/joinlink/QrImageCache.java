package dev.roomkeeper.joinlink;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Rendered QR images by variant and join URL, so a room's image is drawn once (a 1024
 * pixel PNG costs tens of milliseconds of CPU) and then served from memory. Bounded by
 * the bytes held ({@value #MAX_BYTES}); images not asked for in an hour are dropped.
 */
final class QrImageCache {

	static final long MAX_BYTES = 32L * 1024 * 1024;

	private final Cache<String, byte[]> images = Caffeine.newBuilder()
		.maximumWeight(MAX_BYTES)
		.weigher((String key, byte[] image) -> key.length() + image.length)
		.expireAfterAccess(java.time.Duration.ofHours(1))
		.build();

	byte[] png(String joinUrl, int size, Supplier<byte[]> render) {
		return this.images.get("png " + size + " " + joinUrl, (key) -> render.get());
	}

	String svg(String joinUrl, Supplier<String> render) {
		byte[] image = this.images.get("svg " + joinUrl, (key) -> render.get().getBytes(StandardCharsets.UTF_8));
		return new String(image, StandardCharsets.UTF_8);
	}

	long size() {
		return this.images.estimatedSize();
	}

}
