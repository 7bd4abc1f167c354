package dev.roomkeeper.joinlink;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QrImageCacheTests {

	@Test
	void eachImageIsRenderedOncePerVariant() {
		QrImageCache cache = new QrImageCache();
		AtomicInteger renders = new AtomicInteger();
		for (int i = 0; i < 5; i++) {
			assertThat(cache.png("https://example.com/r/ABCDEF", 1024, () -> {
				renders.incrementAndGet();
				return QrCodes.png("https://example.com/r/ABCDEF", 1024);
			})).isEqualTo(QrCodes.png("https://example.com/r/ABCDEF", 1024));
		}
		cache.png("https://example.com/r/ABCDEF", 256, () -> {
			renders.incrementAndGet();
			return new byte[1];
		});
		assertThat(cache.svg("https://example.com/r/ABCDEF", () -> {
			renders.incrementAndGet();
			return "<svg/>";
		})).isEqualTo("<svg/>");

		assertThat(renders).hasValue(3);
	}

}
