package dev.roomkeeper.store.file;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.ApiClient.Response;
import dev.roomkeeper.support.LiveClient;
import dev.roomkeeper.support.ServerProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kill -9} of the packaged server at a random moment while REST clients write
 * (journal batches in flight) and checkpoints run back to back
 * ({@code rooms.store.checkpoint-interval=10ms}: room files are being replaced and
 * journal segments dropped), with live broadcasts moving {@code seq}. After every
 * restart: no acknowledged write is lost, every room file on disk is a whole room (the
 * old or the new version), and no room's {@code seq} is below one a client has seen.
 * {@value #ROUNDS} rounds here; {@code mvn verify -Pstress} runs {@code crash.rounds}
 * (50).
 */
class FileStoreCrashIntegrationTests {

	private static final int ROUNDS = Integer.getInteger("crash.rounds", 3);

	private static final int WRITERS = 8;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	Path temp;

	/** What one writer was told had succeeded. */
	record Acknowledged(CreatedRoom room, JoinedMember member, int counter) {
	}

	/** A room with a live client broadcasting, and the highest seq it saw. */
	record Live(CreatedRoom room, JoinedMember member, AtomicLong seenSeq) {
	}

	@Test
	void killNineAtRandomMomentsDuringBatchesAndCheckpointsThenNothingAcknowledgedIsLostAndSeqNeverGoesBack()
			throws Exception {
		Path dir = this.temp.resolve("rooms");
		String[] properties = { "rooms.store.type=file", "rooms.store.dir=" + dir,
				"rooms.store.checkpoint-interval=10ms", "rooms.limits.messages-per-second=2000" };
		Map<Integer, Acknowledged> acknowledged = new ConcurrentHashMap<>();
		Map<Integer, Live> live = new ConcurrentHashMap<>();
		for (int round = 1; round <= ROUNDS; round++) {
			try (ServerProcess server = ServerProcess.start(this.temp.resolve("server-" + round + ".log"),
					properties)) {
				verify(server.api(), acknowledged, live, round);
				writeUntilKilled(server, round, acknowledged, live);
			}
			verifyRoomFiles(dir, round);
		}
		try (ServerProcess server = ServerProcess.start(this.temp.resolve("server-final.log"), properties)) {
			verify(server.api(), acknowledged, live, ROUNDS + 1);
			assertThat(acknowledged).hasSize(WRITERS * ROUNDS);
			assertThat(server.output()).contains("event=store-loaded")
				.contains("cleanStop=false")
				.doesNotContain("store-journal-segment-unreadable");
		}
	}

	private void writeUntilKilled(ServerProcess server, int round, Map<Integer, Acknowledged> acknowledged,
			Map<Integer, Live> live) throws Exception {
		ApiClient api = server.api();
		AtomicBoolean killed = new AtomicBoolean();
		AtomicInteger writes = new AtomicInteger();
		CreatedRoom liveRoom = api.createRoom(Map.of("name", "live " + round));
		JoinedMember liveMember = api.join(liveRoom.code(), "caster");
		Live caster = new Live(liveRoom, liveMember, new AtomicLong());
		live.put(round, caster);
		ExecutorService executor = Executors.newFixedThreadPool(WRITERS + 1);
		try (LiveClient client = new LiveClient(server.port())) {
			LiveClient.Session session = client.connect(liveMember.token());
			caster.seenSeq().set(session.join(liveRoom.code()).path("seq").asLong());
			executor.submit(() -> broadcast(session, liveRoom.code(), caster, killed));
			for (int w = 0; w < WRITERS; w++) {
				int writer = round * 100 + w;
				executor.submit(() -> write(api, writer, acknowledged, writes, killed));
			}
			await().atMost(Duration.ofSeconds(60)).until(() -> writes.get() >= 200);
			// a random moment: mid-batch, mid-checkpoint or between
			long extra = ThreadLocalRandom.current().nextLong(0, 400);
			await().pollDelay(Duration.ofMillis(extra)).atMost(Duration.ofSeconds(5)).until(() -> true);
			killed.set(true);
			assertThat(server.kill9()).as("killed by SIGKILL").isEqualTo(137);
		}
		finally {
			executor.shutdown();
			assertThat(executor.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
		}
	}

	private static void broadcast(LiveClient.Session session, String code, Live caster, AtomicBoolean killed) {
		try {
			for (int i = 0; !killed.get(); i++) {
				session.send("/app/rooms/" + code + "/broadcast", Map.of("data", i));
				if (i % 10 == 9) {
					await().pollDelay(Duration.ofMillis(5)).until(() -> true);
				}
			}
		}
		catch (RuntimeException ex) {
			// the server died under the client
		}
		finally {
			for (LiveClient.Received event : session.roomEvents()) {
				caster.seenSeq().accumulateAndGet(event.seq(), Math::max);
			}
		}
	}

	private static void write(ApiClient api, int writer, Map<Integer, Acknowledged> acknowledged, AtomicInteger writes,
			AtomicBoolean killed) {
		try {
			CreatedRoom room = api.createRoom(Map.of("name", "writer " + writer, "state", Map.of("counter", 0)));
			JoinedMember member = api.join(room.code(), "m" + writer);
			acknowledged.put(writer, new Acknowledged(room, member, 0));
			for (int counter = 1; !killed.get(); counter++) {
				Response response = api.post("/api/rooms/" + room.code() + "/state",
						Map.of("patch", Map.of("counter", counter)), member.token());
				if (response.status() != 200) {
					return;
				}
				acknowledged.put(writer, new Acknowledged(room, member, counter));
				writes.incrementAndGet();
			}
		}
		catch (UncheckedIOException | AssertionError ex) {
			// the server died under this request: only what was acknowledged before
			// counts
		}
	}

	private static void verify(ApiClient api, Map<Integer, Acknowledged> acknowledged, Map<Integer, Live> live,
			int round) {
		for (Map.Entry<Integer, Acknowledged> entry : acknowledged.entrySet()) {
			Acknowledged ack = entry.getValue();
			JsonNode room = api.get("/api/rooms/" + ack.room().code(), ack.member().token()).expectStatus(200).body();
			assertThat(room.get("name").asString()).isEqualTo("writer " + entry.getKey());
			assertThat(room.get("state").get("counter").asInt())
				.as("round %d: counter of writer %d", round, entry.getKey())
				.isGreaterThanOrEqualTo(ack.counter());
			verifyHistory(api, ack, room, round);
		}
		for (Map.Entry<Integer, Live> entry : live.entrySet()) {
			Live caster = entry.getValue();
			JsonNode room = api.get("/api/rooms/" + caster.room().code(), caster.member().token())
				.expectStatus(200)
				.body();
			assertThat(room.get("seq").asLong()).as("round %d: seq of the live room of round %d", round, entry.getKey())
				.isGreaterThanOrEqualTo(caster.seenSeq().get());
		}
	}

	/**
	 * The room's history, as replayed from journal tails over room files, is the room's
	 * last events in seq order without a duplicate, and its state events are every change
	 * up to the stored state, none missing: counter values one apart, the last one the
	 * room's.
	 */
	private static void verifyHistory(ApiClient api, Acknowledged ack, JsonNode room, int round) {
		JsonNode page = api.get("/api/rooms/" + ack.room().code() + "/events?limit=100", ack.member().token())
			.expectStatus(200)
			.body();
		List<Long> seqs = new ArrayList<>();
		List<Integer> counters = new ArrayList<>();
		for (JsonNode event : page.get("events")) {
			seqs.add(event.get("seq").asLong());
			if ("state".equals(event.get("type").asString())) {
				counters.add(event.get("patch").get("counter").asInt());
			}
		}
		assertThat(seqs).as("round %d: history of %s in order", round, ack.room().code())
			.isSorted()
			.doesNotHaveDuplicates();
		if (counters.isEmpty()) {
			assertThat(room.get("state").get("counter").asInt())
				.as("round %d: %s, no state event", round, ack.room().code())
				.isZero();
			return;
		}
		for (int i = 1; i < counters.size(); i++) {
			assertThat(counters.get(i)).as("round %d: state events of %s, none missing", round, ack.room().code())
				.isEqualTo(counters.get(i - 1) + 1);
		}
		assertThat(counters.get(counters.size() - 1))
			.as("round %d: the last state event of %s", round, ack.room().code())
			.isEqualTo(room.get("state").get("counter").asInt());
	}

	/** Every room file is a whole room; no temp file is taken for one. */
	private static void verifyRoomFiles(Path dir, int round) throws Exception {
		try (Stream<Path> files = Files.list(dir)) {
			List<Path> rooms = files.filter((file) -> file.getFileName().toString().endsWith(".json")).toList();
			for (Path file : rooms) {
				JsonNode room = JSON.readTree(Files.readAllBytes(file));
				assertThat(room.get("code").asString()).as("round %d: %s", round, file.getFileName())
					.isEqualTo(file.getFileName().toString().replace(".json", ""));
			}
		}
		assertThat(dir.resolve("corrupt")).as("round %d: nothing set aside", round).doesNotExist();
	}

}
