package dev.roomkeeper.bench;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ComparisonReport} and {@link P99Chart} from a CSV as {@link LiveBenchmark}
 * writes it.
 */
class ComparisonReportTests {

	private static final String CSV = LiveBenchmark.CSV_HEADER + "\n"
			+ "roomkeeper,every member sending,1000,10,10,10000,10000,1.000,0.80,12.50,40.00,3.10,32258,0.40,0,1.20\n"
			+ "socketio,every member sending,1000,10,10,10000,9990,0.999,1.10,30.00,90.00,4.00,24975,0.42,0,1.30\n"
			+ "roomkeeper,one room of 1000,1,1000,1,10000,0,0.000,NaN,NaN,NaN,0.50,0,0.10,3,1.40\n"
			+ "roomkeeper,every member sending,1000,10,10,20000,20000,1.000,1.00,25.00,60.00,5.50,36363,0.70,0,1.50\n";

	@Test
	void tableWhenRowsOfSeveralScenariosThenGroupedInMeasuredOrder(@TempDir Path dir) throws Exception {
		Path csv = Files.writeString(dir.resolve("results.csv"), CSV);

		String table = ComparisonReport.table(ComparisonRow.read(csv), "heading line", "chart.png");

		assertThat(table).contains("heading line", "![p99 latency against offered load](chart.png)");
		List<String> rows = table.lines()
			.filter((line) -> line.startsWith("| ") && !line.startsWith("| scenario"))
			.toList();
		assertThat(rows).hasSize(4);
		assertThat(rows.get(0)).startsWith(
				"| every member sending | roomkeeper | 10,000 | 10,000 | 1.000 | 0.80 | 12.5 | 40.0 | 32,258 |");
		assertThat(rows.get(1)).startsWith("| every member sending | socketio | 10,000 |");
		assertThat(rows.get(2)).startsWith("| every member sending | roomkeeper | 20,000 |");
		assertThat(rows.get(3)).startsWith("| one room of 1000 | roomkeeper | 10,000 | 0 | 0.000 | – | – | – |")
			.contains("| 3 | 1.40 |");
	}

	@Test
	void chartThenAPngOfTheChartSize(@TempDir Path dir) throws Exception {
		Path csv = Files.writeString(dir.resolve("results.csv"), CSV);
		Path png = dir.resolve("chart.png");

		P99Chart.write(ComparisonRow.read(csv), "a heading", png);

		BufferedImage image = ImageIO.read(png.toFile());
		assertThat(image.getWidth()).isEqualTo(1100);
		assertThat(image.getHeight()).isEqualTo(620);
	}

}
