package dev.roomkeeper.support;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One scrape of {@code /actuator/prometheus}, read as the Prometheus server reads it:
 * sample name with its labels (as printed) to value.
 */
public final class PrometheusScrape {

	private final Map<String, Double> samples = new LinkedHashMap<>();

	private final String text;

	private PrometheusScrape(String text) {
		this.text = text;
		for (String line : text.split("\n")) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			int space = line.lastIndexOf(' ');
			this.samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
		}
	}

	/** Scrapes the server; fails the test unless it answers 200. */
	public static PrometheusScrape of(ApiClient api) {
		ApiClient.Response response = api.get("/actuator/prometheus").expectStatus(200);
		return new PrometheusScrape(response.raw());
	}

	/**
	 * The value of a sample such as {@code roomkeeper_events_total{type="state"}}; fails
	 * the test if the scrape does not have it.
	 */
	public double value(String sample) {
		assertThat(this.samples).as("metric %s in the scrape", sample).containsKey(sample);
		return this.samples.get(sample);
	}

	public boolean has(String sample) {
		return this.samples.containsKey(sample);
	}

	public String text() {
		return this.text;
	}

}
