package dev.roomkeeper.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the CSV of a {@code bench/compare.sh} run into a markdown table (one row group
 * per scenario) and a PNG chart of p99 latency against offered load ({@link P99Chart}).
 * Not a test.
 * <p>
 * Arguments: the CSV file, the markdown file to write, the PNG file to write, and a
 * heading line (the machine, the load average, smoke or full run) put above the table and
 * on the chart.
 */
public final class ComparisonReport {

	private ComparisonReport() {
	}

	public static void main(String[] args) throws IOException {
		if (args.length != 4) {
			System.err.println("usage: ComparisonReport results.csv table.md chart.png \"heading\"");
			System.exit(2);
		}
		List<ComparisonRow> rows = ComparisonRow.read(Path.of(args[0]));
		Files.writeString(Path.of(args[1]), table(rows, args[3], Path.of(args[2]).getFileName().toString()));
		P99Chart.write(rows, args[3], Path.of(args[2]));
		System.out.printf("wrote %s and %s (%d rows)%n", args[1], args[2], rows.size());
	}

	/** The markdown table, rows grouped by scenario in the order they were measured. */
	static String table(List<ComparisonRow> rows, String heading, String chart) {
		Map<String, List<ComparisonRow>> byScenario = new LinkedHashMap<>();
		rows.forEach((row) -> byScenario.computeIfAbsent(row.scenario(), (key) -> new ArrayList<>()).add(row));
		StringBuilder md = new StringBuilder("# Roomkeeper and Socket.IO: fan-out comparison\n\n");
		md.append(heading).append("\n\n");
		md.append("Written by `bench/compare.sh` (see [Benchmarks](../benchmarks.md#comparison-with-socketio)). ")
			.append("Latency is from the intended send time to receipt; \"delivered ratio\" is the deliveries of ")
			.append("the broadcasts stamped inside the window, arrived within 10 s after it, over those broadcasts ")
			.append("× members (below 1: lost, or later than 10 s). ")
			.append("\"Per server CPU-s\" counts the CPU of every server process (and Redis, for two instances).\n\n");
		md.append("![p99 latency against offered load](").append(chart).append(")\n\n");
		md.append("| scenario | system | offered/s | delivered/s | delivered ratio | p50 ms | p99 ms | max ms |")
			.append(" deliveries per server CPU-s | generator CPU (cores) | lost connections | load (1 min) |\n");
		md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		byScenario.forEach((scenario, group) -> {
			for (ComparisonRow row : group) {
				md.append(String.format(Locale.ROOT,
						"| %s | %s | %,.0f | %,.0f | %.3f | %s | %s | %s | %,.0f | %.2f | %d | %s |%n", scenario,
						row.system(), row.offered(), row.delivered(), row.deliveredRatio(), millis(row.p50()),
						millis(row.p99()), millis(row.max()), row.perServerCpuSecond(), row.generatorCores(),
						row.lostConnections(), row.load()));
			}
		});
		return md.toString();
	}

	private static String millis(double value) {
		if (Double.isNaN(value)) {
			return "–";
		}
		return String.format(Locale.ROOT, (value < 10) ? "%.2f" : (value < 100) ? "%.1f" : "%,.0f", value);
	}

}
