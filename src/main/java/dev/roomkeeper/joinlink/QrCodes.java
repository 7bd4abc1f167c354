package dev.roomkeeper.joinlink;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import javax.imageio.ImageIO;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

/**
 * Draws QR codes (error correction level M, the standard quiet zone of four modules) as
 * SVG or PNG. Stateless and thread-safe.
 */
final class QrCodes {

	/** White modules around the code, as the QR specification asks. */
	static final int QUIET_ZONE = 4;

	private static final Map<EncodeHintType, Object> HINTS = Map.of(EncodeHintType.ERROR_CORRECTION,
			ErrorCorrectionLevel.M, EncodeHintType.MARGIN, QUIET_ZONE, EncodeHintType.CHARACTER_SET,
			StandardCharsets.UTF_8.name());

	private QrCodes() {
	}

	/**
	 * The modules of the QR code of {@code text}, quiet zone included, one bit per
	 * module.
	 */
	static BitMatrix modules(String text) {
		try {
			return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, HINTS);
		}
		catch (WriterException ex) {
			throw new IllegalArgumentException("Text too long for a QR code (" + text.length() + " characters)", ex);
		}
	}

	/**
	 * An SVG document: one path of dark modules on a white square, scalable without blur
	 * ({@code shape-rendering: crispEdges}), with a {@code <title>} for screen readers.
	 */
	static String svg(String text) {
		BitMatrix modules = modules(text);
		int width = modules.getWidth();
		StringBuilder path = new StringBuilder(width * width);
		for (int y = 0; y < width; y++) {
			int x = 0;
			while (x < width) {
				if (!modules.get(x, y)) {
					x++;
					continue;
				}
				int start = x;
				while (x < width && modules.get(x, y)) {
					x++;
				}
				path.append('M')
					.append(start)
					.append(' ')
					.append(y)
					.append('h')
					.append(x - start)
					.append("v1h-")
					.append(x - start)
					.append('z');
			}
		}
		int pixels = width * 8;
		return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + width + " " + width + "\" width=\"" + pixels
				+ "\" height=\"" + pixels + "\" shape-rendering=\"crispEdges\" role=\"img\">" + "<title>"
				+ escapeXml("QR code: " + text) + "</title>" + "<rect width=\"" + width + "\" height=\"" + width
				+ "\" fill=\"#fff\"/>" + "<path fill=\"#000\" d=\"" + path + "\"/></svg>";
	}

	/**
	 * A black-and-white PNG of {@code size} × {@code size} pixels: each module is a whole
	 * number of pixels (so scanners see sharp edges), centred on white. If the code has
	 * more modules than {@code size} pixels, the image is one pixel per module instead.
	 */
	static byte[] png(String text, int size) {
		BitMatrix modules = modules(text);
		int width = modules.getWidth();
		int scale = Math.max(1, size / width);
		int imageSize = Math.max(size, width * scale);
		int offset = (imageSize - width * scale) / 2;
		BufferedImage image = new BufferedImage(imageSize, imageSize, BufferedImage.TYPE_BYTE_BINARY);
		WritableRaster raster = image.getRaster();
		int[] white = new int[imageSize];
		java.util.Arrays.fill(white, 1);
		for (int y = 0; y < imageSize; y++) {
			raster.setSamples(0, y, imageSize, 1, 0, white);
		}
		int[] dark = new int[scale * scale];
		for (int y = 0; y < width; y++) {
			for (int x = 0; x < width; x++) {
				if (modules.get(x, y)) {
					raster.setSamples(offset + x * scale, offset + y * scale, scale, scale, 0, dark);
				}
			}
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			ImageIO.write(image, "png", out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	private static String escapeXml(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

}
