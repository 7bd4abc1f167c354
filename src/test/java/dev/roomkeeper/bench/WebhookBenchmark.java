package dev.roomkeeper.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import dev.roomkeeper.room.CreateRoomRequest;
import dev.roomkeeper.room.Durability;
import dev.roomkeeper.room.JoinRoomRequest;
import dev.roomkeeper.room.RoomService;
import dev.roomkeeper.room.StatePatchRequest;
import dev.roomkeeper.support.RunningApp;
import dev.roomkeeper.support.WebhookReceiver;

import static org.awaitility.Awaitility.await;

/**
 * Webhook deliveries per second to a local receiver (the JDK's HttpServer): a backlog of
 * {@code bench.rooms} × {@code bench.perRoom} {@code room.state} webhooks is raised while
 * the receiver answers 503, then the receiver answers 204 and the time until every
 * webhook is delivered is measured. Not a test: run it with
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.roomkeeper.bench.WebhookBenchmark
 * </pre>
 *
 * Optional system properties: {@code bench.store} ({@code memory} or {@code file}),
 * {@code bench.rooms} (200), {@code bench.perRoom} (50), {@code bench.threads} (4).
 */
public final class WebhookBenchmark {

	private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

	private WebhookBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		String store = System.getProperty("bench.store", "memory");
		int rooms = Integer.getInteger("bench.rooms", 200);
		int perRoom = Integer.getInteger("bench.perRoom", 50);
		int threads = Integer.getInteger("bench.threads", 4);
		Path dir = Files.createTempDirectory("roomkeeper-webhook-bench");
		try (WebhookReceiver receiver = new WebhookReceiver(SECRET)) {
			receiver.answerAlways(() -> 503);
			try (RunningApp app = RunningApp.start("rooms.store.type=" + store, "rooms.store.dir=" + dir,
					"rooms.max-rooms=100000", "rooms.webhooks.endpoints[0].url=" + receiver.url(),
					"rooms.webhooks.endpoints[0].secret=" + SECRET, "rooms.webhooks.endpoints[0].events=room.state",
					"rooms.webhooks.threads=" + threads, "rooms.webhooks.initial-backoff=1s",
					"rooms.webhooks.max-backoff=1s", "logging.level.root=WARN")) {
				RoomService service = app.bean(RoomService.class);
				ExecutorService pool = Executors.newFixedThreadPool(8);
				List<Future<?>> work = new ArrayList<>();
				for (int r = 0; r < rooms; r++) {
					work.add(pool.submit(() -> {
						String code = service.create(CreateRoomRequest.from(JsonNodeFactory.instance.objectNode()))
							.room()
							.code();
						ObjectNode join = JsonNodeFactory.instance.objectNode().put("name", "Ann");
						String token = service.join(code, JoinRoomRequest.from(join), "127.0.0.1").token();
						for (int i = 0; i < perRoom; i++) {
							ObjectNode body = JsonNodeFactory.instance.objectNode();
							body.putObject("patch").put("n", i);
							service.patchState(code, token, StatePatchRequest.from(body), Durability.DEFERRED);
						}
						return null;
					}));
				}
				for (Future<?> each : work) {
					each.get();
				}
				pool.shutdown();
				int total = rooms * perRoom;
				receiver.answerAlways(() -> 204);
				long started = System.nanoTime();
				await().atMost(Duration.ofMinutes(10))
					.pollInterval(Duration.ofMillis(50))
					.until(() -> receiver.delivered().size() >= total);
				double seconds = (System.nanoTime() - started) / 1e9;
				System.out.printf(
						"store=%s rooms=%d perRoom=%d threads=%d webhooks=%d seconds=%.2f deliveries/s=%.0f%n", store,
						rooms, perRoom, threads, total, seconds, total / seconds);
			}
		}
	}

}
