package dev.roomkeeper.joinlink;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import dev.roomkeeper.support.QrImages;

import static org.assertj.core.api.Assertions.assertThat;

class QrCodesTests {

	private static final String URL = "https://rooms.example.com/r/ABC234";

	@Test
	void pngWhenSizeGivenThenExactlyThatSizeAndReadable() throws IOException {
		for (int size : new int[] { 64, 256, 1000, 1024 }) {
			BufferedImage image = ImageIO.read(new ByteArrayInputStream(QrCodes.png(URL, size)));
			assertThat(image.getWidth()).as("width at " + size).isEqualTo(size);
			assertThat(image.getHeight()).isEqualTo(size);
			assertThat(QrImages.decode(image)).isEqualTo(URL);
		}
	}

	@Test
	void pngWhenCodeHasMoreModulesThanPixelsThenOnePixelPerModule() throws IOException {
		String longUrl = "https://a-rather-long-public-host-name.example.com/r/ABC234?" + "x".repeat(300);
		int modules = QrCodes.modules(longUrl).getWidth();
		assertThat(modules).isGreaterThan(64);
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(QrCodes.png(longUrl, 64)));
		assertThat(image.getWidth()).isEqualTo(modules);
		assertThat(QrImages.decode(image)).isEqualTo(longUrl);
	}

	@Test
	void svgWhenDrawnThenReadableAndTitled() {
		String svg = QrCodes.svg(URL + "?a=1&b=<2>");
		assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"");
		assertThat(svg).contains("<title>QR code: " + URL + "?a=1&amp;b=&lt;2&gt;</title>");
		assertThat(QrImages.decode(render(svg, 8))).isEqualTo(URL + "?a=1&b=<2>");
	}

	@Test
	void modulesIncludeTheQuietZone() {
		var modules = QrCodes.modules(URL);
		for (int i = 0; i < modules.getWidth(); i++) {
			for (int margin = 0; margin < QrCodes.QUIET_ZONE; margin++) {
				assertThat(modules.get(i, margin)).isFalse();
				assertThat(modules.get(margin, i)).isFalse();
			}
		}
	}

	/** Paints the SVG's path ({@code M x y h w v1 h-w z} runs) as a raster image. */
	static BufferedImage render(String svg, int scale) {
		Matcher viewBox = Pattern.compile("viewBox=\"0 0 (\\d+) \\d+\"").matcher(svg);
		assertThat(viewBox.find()).isTrue();
		int size = Integer.parseInt(viewBox.group(1)) * scale;
		BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = image.createGraphics();
		graphics.setColor(Color.WHITE);
		graphics.fillRect(0, 0, size, size);
		graphics.setColor(Color.BLACK);
		Matcher run = Pattern.compile("M(\\d+) (\\d+)h(\\d+)v1h-\\d+z").matcher(svg);
		while (run.find()) {
			graphics.fillRect(Integer.parseInt(run.group(1)) * scale, Integer.parseInt(run.group(2)) * scale,
					Integer.parseInt(run.group(3)) * scale, scale);
		}
		graphics.dispose();
		return image;
	}

}
