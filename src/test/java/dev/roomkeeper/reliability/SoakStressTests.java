package dev.roomkeeper.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.RawWebSocket;
import dev.roomkeeper.support.ServerProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged server (file store) under churn for {@code reliability.soak.minutes}
 * (default 10): rooms created, joined, connected to live, written to and closed, over and
 * over. Heap after a full GC, threads, open files and resident memory are sampled each
 * minute; after a warm-up of a fifth of the run, none may drift by more than 10% from the
 * warm-up sample (threads and files: or by more than 5, as the counts are small). Only in
 * {@code -Pstress}.
 */
class SoakStressTests {

	private static final double DRIFT = 0.10;

	@TempDir
	Path dir;

	@Test
	void churnLeavesHeapThreadsFilesAndMemoryFlat() throws Exception {
		int minutes = Integer.getInteger("reliability.soak.minutes", 10);
		try (ServerProcess server = ServerProcess.start(this.dir.resolve("server.log"),
				"rooms.store.dir=" + this.dir.resolve("rooms"), "rooms.admin-token=soak-admin-token-0123456789",
				"rooms.limits.failed-joins-per-minute=100000", "rooms.max-rooms=100000")) {
			ApiClient api = server.api();
			long pid = server.process().pid();
			List<Sample> samples = new ArrayList<>();
			long start = System.nanoTime();
			long end = start + TimeUnit.MINUTES.toNanos(minutes);
			long nextSample = start;
			int rounds = 0;
			while (System.nanoTime() < end) {
				if (System.nanoTime() >= nextSample) {
					samples.add(Sample.of(pid, api));
					System.out.println("soak: " + samples.get(samples.size() - 1) + " after " + rounds + " rounds");
					nextSample += TimeUnit.MINUTES.toNanos(1);
				}
				churn(server.port(), api);
				rounds++;
			}
			Sample last = Sample.of(pid, api);
			samples.add(last);
			Sample warm = samples.get(Math.max(1, samples.size() / 5));
			System.out.printf("soak: %d min, %d rounds; warm %s; last %s%n", minutes, rounds, warm, last);
			assertThat(server.process().isAlive()).isTrue();
			assertThat((double) last.heapBytes).isLessThanOrEqualTo(warm.heapBytes * (1 + DRIFT));
			assertThat(last.threads).isLessThanOrEqualTo((int) Math.max(warm.threads * (1 + DRIFT), warm.threads + 5));
			assertThat(last.openFiles)
				.isLessThanOrEqualTo((int) Math.max(warm.openFiles * (1 + DRIFT), warm.openFiles + 5));
			assertThat((double) last.rssKiB).isLessThanOrEqualTo(warm.rssKiB * (1 + DRIFT));
		}
	}

	/** One round: a room with three members, live for a few messages, then closed. */
	private static void churn(int port, ApiClient api) {
		CreatedRoom room = api.createRoom();
		List<RawWebSocket> sockets = new ArrayList<>();
		try {
			for (String name : new String[] { "Ann", "Bob", "Cy" }) {
				JoinedMember member = api.join(room.code(), name);
				RawWebSocket socket = RawWebSocket.open(port, Map.of());
				socket.sendText("CONNECT\naccept-version:1.2\nheart-beat:0,0\ntoken:" + member.token() + "\n\n\0");
				socket.readUntil("CONNECTED");
				sockets.add(socket);
			}
			for (int i = 0; i < 5; i++) {
				sockets.get(i % 3)
					.sendText("SEND\ndestination:/app/rooms/" + room.code()
							+ "/broadcast\ncontent-type:application/json\nreceipt:b" + i + "\n\n{\"data\":" + i
							+ "}\0");
				sockets.get(i % 3).readUntil("receipt-id:b" + i);
			}
			api.post("/api/rooms/" + room.code() + "/state", Map.of("patch", Map.of("round", 1)), room.ownerToken());
		}
		finally {
			sockets.forEach(RawWebSocket::close);
		}
		api.delete("/api/rooms/" + room.code(), room.ownerToken());
	}

	/** What the server holds at one moment. */
	record Sample(long heapBytes, int threads, int openFiles, long rssKiB) {

		static Sample of(long pid, ApiClient api) throws IOException, InterruptedException {
			Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
					Long.toString(pid), "GC.run")
				.redirectErrorStream(true)
				.start();
			gc.getInputStream().readAllBytes();
			assertThat(gc.waitFor(60, TimeUnit.SECONDS)).isTrue();
			long heap = api.get("/actuator/prometheus")
				.raw()
				.lines()
				.filter((line) -> line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\""))
				.mapToLong((line) -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
				.sum();
			int threads = 0;
			long rss = 0;
			for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
				if (line.startsWith("Threads:")) {
					threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
				}
				else if (line.startsWith("VmRSS:")) {
					rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
			int files;
			try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
				files = (int) fds.count();
			}
			catch (UncheckedIOException ex) {
				files = -1;
			}
			return new Sample(heap, threads, files, rss);
		}

		@Override
		public String toString() {
			return String.format("heap after GC %d KiB, %d threads, %d open files, RSS %d KiB", this.heapBytes / 1024,
					this.threads, this.openFiles, this.rssKiB);
		}

	}

}
