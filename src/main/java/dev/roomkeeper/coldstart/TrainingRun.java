package dev.roomkeeper.coldstart;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import dev.roomkeeper.system.LogLine;

/**
 * The training run: once the server is ready, {@code workers} threads create
 * {@code seed-rooms} rooms and leave them open, then drive its API
 * ({@link TrainingClient} rounds) until {@code duration} has passed since the start, then
 * the server stops and the JVM exits, with status 0 if every round worked and 1
 * otherwise. A JDK started with {@code -XX:AOTCacheOutput} writes its AOT cache at that
 * exit ({@code aot-training.sh}).
 */
final class TrainingRun implements ApplicationListener<ApplicationReadyEvent> {

	private static final Log log = LogFactory.getLog(TrainingRun.class);

	private final TrainingRunProperties properties;

	private final JsonMapper json;

	TrainingRun(TrainingRunProperties properties, JsonMapper json) {
		this.properties = properties;
		this.json = json;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		ConfigurableApplicationContext context = event.getApplicationContext();
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		Thread thread = new Thread(() -> {
			int status = train(port) ? 0 : 1;
			System.exit(SpringApplication.exit(context, () -> status));
		}, "training-run");
		thread.start();
	}

	private boolean train(int port) {
		long started = System.nanoTime();
		long deadline = started + this.properties.duration().toNanos();
		AtomicInteger rounds = new AtomicInteger();
		List<Future<?>> workers = new ArrayList<>();
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
		ExecutorService executor = Executors.newFixedThreadPool(this.properties.workers());
		try {
			TrainingClient client = new TrainingClient(http, this.json, port);
			client.visit();
			AtomicInteger seeded = new AtomicInteger();
			for (int i = 0; i < this.properties.workers(); i++) {
				workers.add(executor.submit(() -> {
					int n;
					while ((n = seeded.incrementAndGet()) <= this.properties.seedRooms()) {
						client.seed(n);
					}
					return null;
				}));
			}
			for (Future<?> worker : workers) {
				worker.get();
			}
			workers.clear();
			for (int i = 0; i < this.properties.workers(); i++) {
				workers.add(executor.submit(() -> {
					while (System.nanoTime() - deadline < 0) {
						client.round(rounds.incrementAndGet());
					}
					return null;
				}));
			}
			for (Future<?> worker : workers) {
				worker.get();
			}
			log.info(LogLine.of("training-run-done")
				.with("seededRooms", this.properties.seedRooms())
				.with("rounds", rounds.get())
				.with("millis", (System.nanoTime() - started) / 1_000_000));
			return true;
		}
		catch (Exception ex) {
			log.error(LogLine.of("training-run-failed").with("rounds", rounds.get()).with("error", ex.toString()), ex);
			return false;
		}
		finally {
			executor.shutdownNow();
		}
	}

}
