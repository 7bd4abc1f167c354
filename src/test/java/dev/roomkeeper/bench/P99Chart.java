package dev.roomkeeper.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * A PNG line chart of p99 latency (log scale) against offered deliveries per second, one
 * line per system and scenario: Roomkeeper solid, others dashed, one colour per scenario.
 * Drawn with {@code java.awt} in headless mode.
 */
final class P99Chart {

	private static final int WIDTH = 1100;

	private static final int HEIGHT = 620;

	private static final int LEFT = 80;

	private static final int RIGHT = 330;

	private static final int TOP = 90;

	private static final int BOTTOM = 60;

	private static final Color[] COLOURS = { new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
			new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b), new Color(0x17becf) };

	private P99Chart() {
	}

	static void write(List<ComparisonRow> rows, String title, Path png) throws IOException {
		System.setProperty("java.awt.headless", "true");
		BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, WIDTH, HEIGHT);
		List<ComparisonRow> plotted = rows.stream().filter((row) -> !Double.isNaN(row.p99()) && row.p99() > 0).toList();
		double maxX = plotted.stream().mapToDouble(ComparisonRow::offered).max().orElse(1) * 1.05;
		int lowDecade = (int) Math.floor(Math.log10(plotted.stream().mapToDouble(ComparisonRow::p99).min().orElse(1)));
		int highDecade = (int) Math.ceil(Math.log10(plotted.stream().mapToDouble(ComparisonRow::p99).max().orElse(10)));
		highDecade = Math.max(highDecade, lowDecade + 1);
		Axes axes = new Axes(maxX, lowDecade, highDecade);
		axes.draw(g, title);
		Map<String, List<ComparisonRow>> series = new LinkedHashMap<>();
		plotted.forEach((row) -> series.computeIfAbsent(row.series(), (key) -> new ArrayList<>()).add(row));
		List<String> scenarios = plotted.stream().map(ComparisonRow::scenario).distinct().toList();
		int legendY = TOP + 10;
		for (Map.Entry<String, List<ComparisonRow>> line : series.entrySet()) {
			ComparisonRow first = line.getValue().get(0);
			Color colour = COLOURS[scenarios.indexOf(first.scenario()) % COLOURS.length];
			boolean solid = first.system().equals("roomkeeper");
			g.setColor(colour);
			g.setStroke(stroke(solid));
			List<ComparisonRow> points = line.getValue()
				.stream()
				.sorted(Comparator.comparingDouble(ComparisonRow::offered))
				.toList();
			for (int i = 0; i < points.size(); i++) {
				int x = axes.x(points.get(i).offered());
				int y = axes.y(points.get(i).p99());
				marker(g, x, y, solid);
				if (i > 0) {
					g.drawLine(axes.x(points.get(i - 1).offered()), axes.y(points.get(i - 1).p99()), x, y);
				}
			}
			g.drawLine(WIDTH - RIGHT + 20, legendY, WIDTH - RIGHT + 50, legendY);
			marker(g, WIDTH - RIGHT + 35, legendY, solid);
			g.setColor(Color.BLACK);
			g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
			g.drawString(line.getKey(), WIDTH - RIGHT + 58, legendY + 4);
			legendY += 20;
		}
		g.dispose();
		ImageIO.write(image, "png", png.toFile());
	}

	/** Roomkeeper's points are filled circles, the others' hollow squares. */
	private static void marker(Graphics2D g, int x, int y, boolean solid) {
		if (solid) {
			g.fillOval(x - 4, y - 4, 9, 9);
		}
		else {
			Stroke line = g.getStroke();
			g.setStroke(new BasicStroke(1.8f));
			g.drawRect(x - 4, y - 4, 8, 8);
			g.setStroke(line);
		}
	}

	private static BasicStroke stroke(boolean solid) {
		return solid ? new BasicStroke(2.2f)
				: new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] { 8f, 5f }, 0f);
	}

	/** The plot area: linear x from 0, log10 y over whole decades. */
	private record Axes(double maxX, int lowDecade, int highDecade) {

		int x(double offered) {
			return LEFT + (int) Math.round(offered / this.maxX * (WIDTH - LEFT - RIGHT));
		}

		int y(double p99) {
			double fraction = (Math.log10(p99) - this.lowDecade) / (this.highDecade - this.lowDecade);
			return HEIGHT - BOTTOM - (int) Math.round(fraction * (HEIGHT - TOP - BOTTOM));
		}

		void draw(Graphics2D g, String title) {
			g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
			g.setColor(Color.BLACK);
			g.drawString("p99 latency (ms, log scale) against offered deliveries/s", LEFT, 22);
			g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
			int line = 40;
			for (String text : wrap(title.replace("**", "").replace("`", ""), g, WIDTH - LEFT - 20)) {
				g.drawString(text, LEFT, line);
				line += 15;
			}
			g.setStroke(new BasicStroke(1f));
			for (int decade = this.lowDecade; decade <= this.highDecade; decade++) {
				int y = y(Math.pow(10, decade));
				g.setColor(new Color(0xdddddd));
				g.drawLine(LEFT, y, WIDTH - RIGHT, y);
				g.setColor(Color.BLACK);
				double value = Math.pow(10, decade);
				String label = (value < 1) ? String.format(Locale.ROOT, "%s", value)
						: String.format(Locale.ROOT, "%,.0f", value);
				g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 4);
			}
			double step = niceStep(this.maxX / 6);
			for (double v = 0; v <= this.maxX; v += step) {
				int x = x(v);
				g.setColor(new Color(0xeeeeee));
				g.drawLine(x, TOP, x, HEIGHT - BOTTOM);
				g.setColor(Color.BLACK);
				String label = String.format(Locale.ROOT, "%,.0f", v);
				g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, HEIGHT - BOTTOM + 18);
			}
			g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
			g.drawString("offered deliveries/s (solid line, dots: Roomkeeper; dashed line, squares: Socket.IO)", LEFT,
					HEIGHT - 18);
		}

		/**
		 * The words of {@code text} in lines no wider than {@code width}, at most three.
		 */
		private static List<String> wrap(String text, Graphics2D g, int width) {
			List<String> lines = new ArrayList<>();
			StringBuilder line = new StringBuilder();
			for (String word : text.split(" ")) {
				if (line.length() > 0 && g.getFontMetrics().stringWidth(line + " " + word) > width) {
					lines.add(line.toString());
					line.setLength(0);
				}
				line.append((line.length() > 0) ? " " : "").append(word);
			}
			lines.add(line.toString());
			return lines.subList(0, Math.min(3, lines.size()));
		}

		private static double niceStep(double rough) {
			double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
			double[] steps = { 1, 2, 2.5, 5, 10 };
			for (double s : steps) {
				if (s * magnitude >= rough) {
					return s * magnitude;
				}
			}
			return 10 * magnitude;
		}

	}

}
