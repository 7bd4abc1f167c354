package dev.roomkeeper.support;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import javax.imageio.ImageIO;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.ChecksumException;
import com.google.zxing.DecodeHintType;
import com.google.zxing.FormatException;
import com.google.zxing.NotFoundException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;

/** Reads QR codes the way a phone camera would: from the pixels of an image. */
public final class QrImages {

	private QrImages() {
	}

	/** The text of the QR code in a PNG (or any image ImageIO reads). */
	public static String decode(byte[] image) {
		try {
			return decode(ImageIO.read(new ByteArrayInputStream(image)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static String decode(BufferedImage image) {
		int width = image.getWidth();
		int height = image.getHeight();
		int[] pixels = image.getRGB(0, 0, width, height, null, 0, width);
		BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(width, height, pixels)));
		try {
			return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.TRY_HARDER, true)).getText();
		}
		catch (NotFoundException | ChecksumException | FormatException ex) {
			// tiny images (one pixel per module) are read as a pure code, as a scanner
			// app would
			try {
				return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.PURE_BARCODE, true)).getText();
			}
			catch (NotFoundException | ChecksumException | FormatException again) {
				throw new AssertionError("No readable QR code in the image", again);
			}
		}
	}

	/** Downloads an image (e.g. {@code /api/rooms/{code}/qr.png}) and decodes it. */
	public static String download(String url) {
		try {
			HttpResponse<byte[]> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
			if (response.statusCode() != 200) {
				throw new AssertionError("GET " + url + " answered " + response.statusCode());
			}
			return decode(response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
