package dev.roomkeeper.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads NDJSON one line at a time from a stream, without ever holding more than one line
 * (of at most {@code maxLineBytes}): a longer line is skipped up to its end and reported
 * as too long. Lines end with {@code \n} (a preceding {@code \r} is dropped).
 */
final class ImportLineReader {

	private final InputStream in;

	private final int maxLineBytes;

	private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

	private int lineNumber;

	private boolean ended;

	ImportLineReader(InputStream in, int maxLineBytes) {
		this.in = in;
		this.maxLineBytes = maxLineBytes;
	}

	/**
	 * One line of input.
	 *
	 * @param number the line number, from 1
	 * @param text the line's text, or {@code null} if it was too long or not UTF-8
	 * @param problem why {@code text} is {@code null}
	 */
	record Line(int number, String text, String problem) {
	}

	/** The next line, or {@code null} at the end of the input. */
	Line next() throws IOException {
		if (this.ended) {
			return null;
		}
		this.buffer.reset();
		boolean tooLong = false;
		boolean any = false;
		int b;
		while ((b = this.in.read()) != -1) {
			any = true;
			if (b == '\n') {
				break;
			}
			if (this.buffer.size() >= this.maxLineBytes) {
				tooLong = true;
			}
			else {
				this.buffer.write(b);
			}
		}
		if (b == -1) {
			this.ended = true;
			if (!any) {
				return null;
			}
		}
		this.lineNumber++;
		if (tooLong) {
			return new Line(this.lineNumber, null, "the line is longer than " + this.maxLineBytes + " bytes");
		}
		byte[] bytes = this.buffer.toByteArray();
		int length = (bytes.length > 0 && bytes[bytes.length - 1] == '\r') ? bytes.length - 1 : bytes.length;
		try {
			String text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes, 0, length))
				.toString();
			return new Line(this.lineNumber, text, null);
		}
		catch (CharacterCodingException ex) {
			return new Line(this.lineNumber, null, "the line is not UTF-8");
		}
	}

}
