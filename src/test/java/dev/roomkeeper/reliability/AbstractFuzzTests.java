package dev.roomkeeper.reliability;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ApiClient.CreatedRoom;
import dev.roomkeeper.support.ApiClient.JoinedMember;
import dev.roomkeeper.support.RawHttp;
import dev.roomkeeper.support.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input never breaks the server: malformed STOMP frames, malformed WebSocket frames
 * and malformed HTTP requests, made from a seeded {@link java.util.Random} over real
 * sockets. Every one is answered as the contract says (an {@code error} event, or an
 * {@code ERROR} frame or a WebSocket close with a protocol code and the connection
 * closes; {@code problem+json} for HTTP), never {@code internal-error}, a 500 or a stack
 * trace in the log, and a bystander room keeps exchanging messages throughout. Counts
 * scale with {@link #scale()} (1 in {@code mvn verify}, more with {@code -Pstress}).
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "rooms.store.type=memory", "rooms.limits.failed-joins-per-minute=100000000",
				"rooms.limits.qr-per-minute=100000000", "rooms.limits.messages-per-second=1000000",
				"rooms.limits.connections-per-address=100000", "rooms.admin-token=fuzz-admin-token-0123456789" })
abstract class AbstractFuzzTests {

	private static final long SEED = Long.getLong("reliability.seed", 20261204L);

	/** Close codes that end a session for bad input (1009: message too big). */
	private static final Set<Integer> PROTOCOL_CLOSES = Set.of(1002, 1003, 1007, 1008, 1009);

	/**
	 * What the log shows when handling a request or frame failed (the output is the whole
	 * JVM's, so other test classes' background threads are not looked at).
	 */
	private static final String[] REQUEST_FAILURES = { "internal-error", "Unexpected failure handling",
			"Unexpected error while handling", "Servlet.service() for servlet", "Failure in @ExceptionHandler",
			"Error parsing HTTP request header" };

	@LocalServerPort
	int port;

	/** How many times the verify-sized run. */
	abstract int scale();

	@Test
	void malformedStompAndWebSocketFramesAreRefusedAndOtherRoomsKeepWorking(CapturedOutput output) {
		ApiClient api = new ApiClient(this.port);
		Bystanders bystanders = Bystanders.open(this.port, api);
		List<Long> baseline = bystanders.roundTrips(50);

		CreatedRoom room = api.createRoom();
		JoinedMember fuzzer = api.join(room.code(), "Fuzzer");
		MalformedFrames frames = new MalformedFrames(SEED, room.code());
		Map<String, Integer> outcomes = new TreeMap<>();
		List<Long> during = new ArrayList<>();
		int stompFrames = 10_000 * scale();
		Session session = null;
		for (int i = 0; i < stompFrames; i++) {
			if (session == null) {
				session = Session.connect(this.port, fuzzer.token());
			}
			String outcome = session.sendAndProbe(frames.stomp(), i);
			outcomes.merge(outcome, 1, Integer::sum);
			if (!outcome.equals("error-event") && !outcome.equals("no-answer")) {
				session.close();
				session = null;
			}
			if (i % 500 == 499) {
				during.addAll(bystanders.roundTrips(2));
			}
		}
		if (session != null) {
			session.close();
		}
		int webSocketFrames = 1_000 * scale();
		for (int i = 0; i < webSocketFrames; i++) {
			String outcome = webSocketFrame(frames.webSocket(), fuzzer.token(), i % 2 == 0);
			outcomes.merge(outcome, 1, Integer::sum);
			if (i % 200 == 199) {
				during.addAll(bystanders.roundTrips(2));
			}
		}
		List<Long> after = bystanders.roundTrips(50);
		bystanders.close();

		System.out.printf(
				"fuzz: %d STOMP + %d WebSocket frames, outcomes %s; bystander round trip p50/p99 "
						+ "baseline %s/%s us, during %s/%s us, after %s/%s us%n",
				stompFrames, webSocketFrames, outcomes, percentile(baseline, 50), percentile(baseline, 99),
				percentile(during, 50), percentile(during, 99), percentile(after, 50), percentile(after, 99));
		assertThat(outcomes.keySet()).allMatch((outcome) -> outcome.equals("error-event") || outcome.equals("no-answer")
				|| outcome.equals("error-frame") || outcome.startsWith("close-"));
		assertThat(outcomes).containsKeys("error-event", "error-frame");
		// Other rooms are not slowed down: their p99 during the fuzz is within 2x of the
		// baseline (with a floor of 50 ms, so a build machine's pause is not taken for
		// it).
		assertThat(percentile(during, 99)).as("bystander p99 during the fuzz (us)")
			.isLessThanOrEqualTo(Math.max(2 * percentile(baseline, 99), 50_000));
		assertThat(output).doesNotContain(REQUEST_FAILURES);
		api.get("/api/rooms/" + room.code()).expectStatus(200);
	}

	/** Sends one malformed WebSocket frame on a fresh connection; how it ended. */
	private String webSocketFrame(byte[] frame, String token, boolean connectFirst) {
		try {
			return webSocketFrameOnce(frame, token, connectFirst);
		}
		catch (AssertionError ex) {
			throw new AssertionError(
					"WebSocket frame " + java.util.HexFormat.of().formatHex(frame, 0, Math.min(frame.length, 40)) + " ("
							+ frame.length + " bytes, CONNECT first: " + connectFirst + "): " + ex.getMessage(),
					ex);
		}
	}

	private String webSocketFrameOnce(byte[] frame, String token, boolean connectFirst) {
		try (RawWebSocket socket = RawWebSocket.open(this.port, Map.of())) {
			assertThat(socket.status()).isEqualTo(101);
			if (connectFirst) {
				socket.sendText("CONNECT\naccept-version:1.2\nheart-beat:0,0\ntoken:" + token + "\n\n\0");
				assertThat(socket.readText()).startsWith("CONNECTED");
			}
			try {
				socket.sendRawBytes(frame);
			}
			catch (RuntimeException ex) {
				// closed already: what it sent is read below
			}
			StringBuilder texts = new StringBuilder();
			RawWebSocket.Frame answer;
			while ((answer = socket.readFrame()) != null) {
				if (answer.opcode() == 0x8) {
					int code = answer.closeCode();
					assertThat(texts).doesNotContain("internal-error");
					assertThat(PROTOCOL_CLOSES).as("close code for a malformed frame").contains(code);
					return "close-" + code;
				}
				texts.append(answer.text());
			}
			throw new AssertionError("The connection ended without a close frame; got: " + texts);
		}
	}

	@Test
	void malformedHttpRequestsAreAnsweredWithProblemJson(CapturedOutput output) {
		ApiClient api = new ApiClient(this.port);
		CreatedRoom room = api.createRoom();
		MalformedRequests requests = new MalformedRequests(SEED, room.code());
		Map<Integer, Integer> statuses = new TreeMap<>();
		int count = 3_000 * scale();
		for (int i = 0; i < count; i++) {
			byte[] request = requests.next();
			RawHttp.Answer answer = RawHttp.send(this.port, request);
			statuses.merge(answer.status(), 1, Integer::sum);
			String what = new String(request, 0, Math.min(request.length, 300), StandardCharsets.UTF_8);
			assertThat(answer.status()).as("answer to %s", what).isBetween(100, 599).isNotEqualTo(500);
			boolean hasBody = !requests.lastMethod().equals("HEAD") && answer.status() != 304;
			if (answer.status() >= 400 && hasBody) {
				assertThat(answer.contentType()).as("answer to %s: %s", what, answer.raw())
					.startsWith("application/problem+json");
				assertThat(answer.body()).as("answer to %s", what).contains("\"code\":\"");
			}
		}
		System.out.printf("fuzz: %d HTTP requests, statuses %s%n", count, statuses);
		assertThat(output).doesNotContain(REQUEST_FAILURES);
		api.get("/api/rooms/" + room.code()).expectStatus(200);
		api.createRoom();
	}

	static long percentile(List<Long> samples, int percent) {
		if (samples.isEmpty()) {
			return -1;
		}
		List<Long> sorted = new ArrayList<>(samples);
		sorted.sort(null);
		return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
	}

	/** A connected STOMP session subscribed to its own queue, for fuzzing. */
	private static final class Session implements AutoCloseable {

		private final RawWebSocket socket;

		private Session(RawWebSocket socket) {
			this.socket = socket;
		}

		static Session connect(int port, String token) {
			RawWebSocket socket = RawWebSocket.open(port, Map.of());
			socket.sendText("CONNECT\naccept-version:1.2\nheart-beat:0,0\ntoken:" + token + "\n\n\0");
			socket.readUntil("CONNECTED");
			socket.sendText("SUBSCRIBE\nid:me\ndestination:/user/queue/room\nreceipt:subscribed\n\n\0");
			socket.readUntil("receipt-id:subscribed");
			return new Session(socket);
		}

		/**
		 * Sends a malformed frame, then an {@code ACK} with a receipt as a probe: the
		 * answers up to the probe's {@code RECEIPT} (or up to the end of the connection)
		 * tell what became of the frame.
		 */
		String sendAndProbe(String frame, int index) {
			String probe = "p" + index;
			try {
				this.socket.sendText(frame);
				this.socket.sendText("ACK\nid:probe\nreceipt:" + probe + "\n\n\0");
			}
			catch (RuntimeException ex) {
				// the server closed already: its answer is read below
			}
			StringBuilder texts = new StringBuilder();
			RawWebSocket.Frame answer;
			while ((answer = this.socket.readFrame()) != null) {
				if (answer.opcode() == 0x8) {
					return ended(texts, answer.closeCode(), frame);
				}
				if (answer.opcode() != 0x1 && answer.opcode() != 0x0) {
					continue;
				}
				texts.append(answer.text());
				assertThat(texts).as("answer to %s", abbreviate(frame)).doesNotContain("internal-error");
				if (texts.indexOf("receipt-id:" + probe + "\n") >= 0) {
					if (texts.indexOf("ERROR\n") >= 0) {
						throw new AssertionError("ERROR but the connection stayed open: " + texts);
					}
					return (texts.indexOf("\"type\":\"error\"") >= 0) ? "error-event" : "no-answer";
				}
			}
			return ended(texts, -1, frame);
		}

		private static String ended(StringBuilder texts, int closeCode, String frame) {
			assertThat(texts).as("answer to %s", abbreviate(frame)).doesNotContain("internal-error");
			if (texts.indexOf("ERROR\n") >= 0) {
				return "error-frame";
			}
			assertThat(PROTOCOL_CLOSES).as("close code for %s (got %s)", abbreviate(frame), texts).contains(closeCode);
			return "close-" + closeCode;
		}

		@Override
		public void close() {
			this.socket.close();
		}

	}

	static String abbreviate(String text) {
		return (text.length() <= 200) ? text : text.substring(0, 200) + "... (" + text.length() + " chars)";
	}

}
