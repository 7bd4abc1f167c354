package dev.roomkeeper.admin;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ImportLineReaderTests {

	@Test
	void linesAreNumberedFromOneWithAndWithoutFinalNewline() throws IOException {
		assertThat(read("a\nb\n", 100)).extracting(ImportLineReader.Line::number, ImportLineReader.Line::text)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(1, "a"), org.assertj.core.groups.Tuple.tuple(2, "b"));
		assertThat(read("a\nb", 100)).extracting(ImportLineReader.Line::text).containsExactly("a", "b");
	}

	@Test
	void carriageReturnsBeforeNewlineAreDropped() throws IOException {
		assertThat(read("a\r\nb\r\n", 100)).extracting(ImportLineReader.Line::text).containsExactly("a", "b");
	}

	@Test
	void blankLinesAreKeptSoNumbersMatchTheFile() throws IOException {
		assertThat(read("a\n\nc\n", 100)).extracting(ImportLineReader.Line::number, ImportLineReader.Line::text)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(1, "a"), org.assertj.core.groups.Tuple.tuple(2, ""),
					org.assertj.core.groups.Tuple.tuple(3, "c"));
	}

	@Test
	void tooLongLineIsReportedAndSkippedToItsEndWithoutLosingNextLine() throws IOException {
		List<ImportLineReader.Line> lines = read("short\n" + "x".repeat(50) + "\nafter\n", 10);
		assertThat(lines).hasSize(3);
		assertThat(lines.get(1).text()).isNull();
		assertThat(lines.get(1).problem()).isEqualTo("the line is longer than 10 bytes");
		assertThat(lines.get(2).number()).isEqualTo(3);
		assertThat(lines.get(2).text()).isEqualTo("after");
	}

	@Test
	void invalidUtf8IsReportedNotGuessed() throws IOException {
		byte[] bytes = { 'o', 'k', '\n', (byte) 0xC3, (byte) 0x28, '\n' };
		ImportLineReader reader = new ImportLineReader(new ByteArrayInputStream(bytes), 100);
		assertThat(reader.next().text()).isEqualTo("ok");
		ImportLineReader.Line bad = reader.next();
		assertThat(bad.text()).isNull();
		assertThat(bad.problem()).isEqualTo("the line is not UTF-8");
		assertThat(reader.next()).isNull();
	}

	@Test
	void multibyteCharactersSurvive() throws IOException {
		assertThat(read("{\"name\":\"Zoë 🎤\"}\n", 100)).extracting(ImportLineReader.Line::text)
			.containsExactly("{\"name\":\"Zoë 🎤\"}");
	}

	@Test
	void emptyInputHasNoLines() throws IOException {
		assertThat(read("", 100)).isEmpty();
	}

	private static List<ImportLineReader.Line> read(String text, int maxLineBytes) throws IOException {
		ImportLineReader reader = new ImportLineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
				maxLineBytes);
		List<ImportLineReader.Line> lines = new ArrayList<>();
		ImportLineReader.Line line;
		while ((line = reader.next()) != null) {
			lines.add(line);
		}
		return lines;
	}

}
