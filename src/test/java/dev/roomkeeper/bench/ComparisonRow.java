package dev.roomkeeper.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One row of the CSV that {@link LiveBenchmark} appends to (see
 * {@link LiveBenchmark#CSV_HEADER}): one system at one offered load in one scenario.
 *
 * @param system the server measured ({@code roomkeeper}, {@code socketio})
 * @param scenario the scenario's label
 * @param offered deliveries per second asked for
 * @param delivered deliveries per second measured
 * @param deliveredRatio deliveries over broadcasts sent times members, in the window
 * @param p50 median latency in ms
 * @param p99 99th percentile latency in ms
 * @param max largest latency in ms
 * @param perServerCpuSecond deliveries per CPU-second of the servers (and Redis)
 * @param generatorCores the generator's CPU, in cores
 * @param lostConnections connections lost after they were ready
 * @param load the 1-minute load average at the end of the point
 */
record ComparisonRow(String system, String scenario, double offered, double delivered, double deliveredRatio,
		double p50, double p99, double max, double perServerCpuSecond, double generatorCores, long lostConnections,
		String load) {

	/** The rows of a CSV file written by {@link LiveBenchmark}, in file order. */
	static List<ComparisonRow> read(Path csv) throws IOException {
		return Files.readAllLines(csv)
			.stream()
			.skip(1)
			.filter((line) -> !line.isBlank())
			.map(ComparisonRow::parse)
			.toList();
	}

	private static ComparisonRow parse(String line) {
		String[] f = line.split(",", -1);
		return new ComparisonRow(f[0], f[1], Double.parseDouble(f[5]), Double.parseDouble(f[6]),
				Double.parseDouble(f[7]), Double.parseDouble(f[8]), Double.parseDouble(f[9]), Double.parseDouble(f[10]),
				Double.parseDouble(f[12]), Double.parseDouble(f[13]), Long.parseLong(f[14]), f[15]);
	}

	/** The chart line this row belongs to. */
	String series() {
		return this.system + ", " + this.scenario;
	}

}
