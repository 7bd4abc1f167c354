package dev.roomkeeper.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline.TimelineEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.metrics.StartupStep;

import dev.roomkeeper.RoomkeeperApplication;

/**
 * Where the server's start-up time goes: starts Roomkeeper (arguments as for the jar)
 * with Spring's {@link BufferingApplicationStartup}, prints the start-up steps that took
 * longest by their own time (their duration less their children's), then stops. Not a
 * test: {@code bench/coldstart.sh steps} runs it. System property {@code bench.top} (30)
 * is the number of steps printed.
 */
public final class StartupSteps {

	private StartupSteps() {
	}

	public static void main(String[] args) {
		long launched = System.nanoTime();
		SpringApplication application = new SpringApplication(RoomkeeperApplication.class);
		BufferingApplicationStartup startup = new BufferingApplicationStartup(100_000);
		application.setApplicationStartup(startup);
		try (ConfigurableApplicationContext context = application.run(args)) {
			System.out.printf("context started in %d ms%n", (System.nanoTime() - launched) / 1_000_000);
			print(startup.getBufferedTimeline().getEvents(), Integer.getInteger("bench.top", 30));
		}
	}

	private static void print(List<TimelineEvent> events, int top) {
		Map<Long, Duration> childTime = new HashMap<>();
		for (TimelineEvent event : events) {
			Long parent = event.getStartupStep().getParentId();
			if (parent != null) {
				childTime.merge(parent, event.getDuration(), Duration::plus);
			}
		}
		List<String[]> rows = new ArrayList<>();
		List<TimelineEvent> sorted = new ArrayList<>(events);
		sorted.sort(Comparator.comparing((TimelineEvent event) -> self(event, childTime)).reversed());
		for (TimelineEvent event : sorted.subList(0, Math.min(top, sorted.size()))) {
			StringBuilder tags = new StringBuilder();
			for (StartupStep.Tag tag : event.getStartupStep().getTags()) {
				tags.append(' ').append(tag.getKey()).append('=').append(tag.getValue());
			}
			rows.add(new String[] { String.valueOf(self(event, childTime).toMillis()),
					String.valueOf(event.getDuration().toMillis()), event.getStartupStep().getName() + tags });
		}
		System.out.printf("%8s %8s  %s%n", "self ms", "total ms", "step");
		for (String[] row : rows) {
			System.out.printf("%8s %8s  %s%n", row[0], row[1], row[2]);
		}
		Map<String, Duration> byName = new HashMap<>();
		for (TimelineEvent event : events) {
			byName.merge(event.getStartupStep().getName(), self(event, childTime), Duration::plus);
		}
		System.out.println("self time by step name:");
		byName.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Duration>comparingByValue().reversed())
			.limit(10)
			.forEach((entry) -> System.out.printf("%8d  %s%n", entry.getValue().toMillis(), entry.getKey()));
	}

	private static Duration self(TimelineEvent event, Map<Long, Duration> childTime) {
		return event.getDuration().minus(childTime.getOrDefault(event.getStartupStep().getId(), Duration.ZERO));
	}

}
