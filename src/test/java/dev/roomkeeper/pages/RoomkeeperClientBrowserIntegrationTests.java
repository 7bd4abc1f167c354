package dev.roomkeeper.pages;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.Browser;
import dev.roomkeeper.support.BrowserExtension;
import dev.roomkeeper.support.ExpectedErrorLogs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client module {@code /js/roomkeeper.js} and the pages' error paths in a real
 * headless Chromium: plain-words errors, code normalisation, a refused kept token, a
 * {@code seq} gap, no reconnection after the room closed, and the helpers apps use.
 * Shares the API tests' server (same properties).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "rooms.store.type=memory", "rooms.limits.failed-joins-per-minute=100000" })
@ExpectedErrorLogs(
		value = { "org.openqa.selenium.devtools.CdpVersionFinder", "org.openqa.selenium.chromium.ChromiumDriver" },
		because = "Selenium warns that it has no DevTools (CDP) bindings for this Chromium version; the tests use WebDriver only")
class RoomkeeperClientBrowserIntegrationTests {

	@RegisterExtension
	static final BrowserExtension browsers = BrowserExtension.desktop("browser");

	@LocalServerPort
	int port;

	private ApiClient api;

	@BeforeEach
	void freshStorage() {
		this.api = new ApiClient(this.port);
		browser().open(url("/"));
		browser().script("localStorage.clear()");
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	private static Browser browser() {
		return browsers.browser();
	}

	@Test
	void lobbyJoinByCodeWhenMessyThenNormalisedAndWhenUnknownOrMalformedThenPlainWords() {
		String code = this.api.createRoom(Map.of("name", "Board games")).code();
		browser().open(url("/"));
		browser().awaitBodyData("ready", "true");

		browser().type("#join-code", "no!");
		browser().click("#join-button");
		browser().awaitText("#join-error", "A room code has 3 to 32 letters, digits or dashes, like ABC234.");
		assertThat(browser().visible("#join-code").getAttribute("aria-invalid")).isEqualTo("true");

		browser().type("#join-code", " zz 9999 ");
		browser().click("#join-button");
		browser().awaitText("#join-error",
				"There is no open room with the code ZZ9999. Check the code; the room may have closed.");
		assertThat(browser().visible("#join-code").getAttribute("value")).isEqualTo("ZZ9999");

		browser().type("#join-code", " " + code.substring(0, 3).toLowerCase() + " " + code.substring(3).toLowerCase());
		browser().visible("#join-code").submit();
		browser().awaitBodyData("view", "join");
		assertThat(browser().currentUrl()).isEqualTo(url("/r/" + code));
		assertThat(browser().text("#join-title")).isEqualTo("Join Board games");
		assertThat(browser().script("return document.activeElement.id")).isEqualTo("join-name");
	}

	@Test
	void joinWhenPasswordWrongOrNameTakenThenPlainWordsAndTheFieldIsFocused() {
		ApiClient.CreatedRoom room = this.api.createRoom(Map.of("name", "Secret club", "password", "open sesame"));
		this.api.join(room.code(), Map.of("name", "Ann", "password", "open sesame"));
		browser().open(url("/r/" + room.code()));
		browser().awaitBodyData("view", "join");
		browser().visible("#join-password");

		browser().type("#join-name", "ann");
		browser().type("#join-password", "guess");
		browser().click("#join-button");
		browser().awaitText("#join-notice-error", "That password is not right.");
		assertThat(browser().script("return document.activeElement.id")).isEqualTo("join-password");

		browser().type("#join-password", "open sesame");
		browser().visible("#join-password").sendKeys("\n");
		browser().awaitText("#join-notice-error",
				"Someone in this room already uses that name. Please pick another one.");
		assertThat(browser().script("return document.activeElement.id")).isEqualTo("join-name");

		browser().type("#join-name", "Bea");
		browser().click("#join-button");
		browser().awaitBodyData("view", "room");
		browser().awaitBodyData("status", "connected");
		assertThat(browser().visible("#share-password").getText()).isEqualTo("They will need the room's password too.");
	}

	@Test
	void keptTokenWhenRefusedThenForgottenAndThePageAsksToJoinAgain() {
		ApiClient.CreatedRoom room = this.api.createRoom(Map.of("name", "Kicked"));
		ApiClient.JoinedMember ann = this.api.join(room.code(), "Ann");
		browser().script("localStorage.setItem(arguments[0], arguments[1])", "roomkeeper.room." + room.code(),
				"{\"code\":\"" + room.code() + "\",\"token\":\"" + ann.token() + "\",\"memberId\":\"" + ann.memberId()
						+ "\",\"name\":\"Ann\"}");
		this.api.delete("/api/rooms/" + room.code() + "/members/" + ann.memberId(), room.ownerToken())
			.expectStatus(204);

		browser().open(url("/r/" + room.code()));
		browser().awaitBodyData("view", "join");
		browser().awaitText("#join-notice-error", "Your place in this room has expired. Join again to continue.");
		assertThat(browser().script("return localStorage.getItem(arguments[0])", "roomkeeper.room." + room.code()))
			.isNull();
		browser().type("#join-name", "Ann");
		browser().click("#join-button");
		browser().awaitBodyData("status", "connected");
		assertThat(browser().bodyData("member-id")).isNotEqualTo(ann.memberId());
	}

	@Test
	void closedWhileOnThePageThenClosedScreenAndNoReconnection() {
		ApiClient.CreatedRoom room = this.api.createRoom(Map.of("name", "Short lived"));
		browser().open(url("/r/" + room.code()));
		browser().awaitBodyData("view", "join");
		browser().type("#join-name", "Ann");
		browser().click("#join-button");
		browser().awaitBodyData("status", "connected");

		this.api.delete("/api/rooms/" + room.code(), room.ownerToken()).expectStatus(204);
		browser().awaitBodyData("view", "ended");
		browser().awaitText("#ended-text", "The owner closed it. Thanks for coming!");
		assertThat(browser().script("return document.activeElement.id")).isEqualTo("ended-title");
		// longer than the first reconnection delay (at most 1 s): the page stays ended
		await().during(Duration.ofMillis(1500))
			.atMost(Duration.ofSeconds(5))
			.until(() -> "ended".equals(browser().bodyData("status")));
		assertThat(browser().text("#status-text")).isEqualTo("Offline");
	}

	@Test
	@SuppressWarnings("unchecked")
	void seqGapThenAsksForASnapshotAndCarriesOnWithoutTheBogusEvent() {
		Map<String, Object> result = (Map<String, Object>) browser().asyncScript(
				"""
						const done = arguments[arguments.length - 1];
						(async () => {
						  const { Roomkeeper } = await import('/js/roomkeeper.js');
						  const store = new Map();
						  const storage = { getItem: (k) => store.has(k) ? store.get(k) : null, setItem: (k, v) => store.set(k, v),
						    removeItem: (k) => store.delete(k), key: (i) => [...store.keys()][i], get length() { return store.size; } };
						  const rk = new Roomkeeper({ storage });
						  const { room } = await rk.createRoom({ name: 'Gap', state: { round: 1 } });
						  await rk.joinRoom(room.code, { name: 'Ann' });
						  const live = rk.connect(room.code, { keepAlive: 'off' });
						  const next = (type) => new Promise((resolve) => live.addEventListener(type, (e) => resolve(e.detail), { once: true }));
						  await next('snapshot');
						  const realSeq = live.room.seq;
						  const resync = next('snapshot');
						  live.handleEvent({ type: 'state', room: room.code, at: new Date().toISOString(), seq: realSeq + 5,
						    version: 99, patch: { bogus: true }, by: 'nobody' });
						  const snapshot = await resync;
						  live.handleEvent({ type: 'state', room: room.code, at: new Date().toISOString(), seq: live.room.seq,
						    version: 98, patch: { duplicate: true }, by: 'nobody' });
						  const state = next('state');
						  live.setState({ round: 2 });
						  const change = await state;
						  done({ realSeq, snapshotSeq: snapshot.seq, roomSeq: live.room.seq, state: JSON.stringify(live.room.state),
						    version: live.room.version, changeSeq: change.seq, status: live.status });
						  live.close();
						})().catch((e) => done({ error: String(e) }));
						""");
		assertThat(result).doesNotContainKey("error");
		long realSeq = ((Number) result.get("realSeq")).longValue();
		assertThat(((Number) result.get("snapshotSeq")).longValue()).isEqualTo(realSeq);
		assertThat(((Number) result.get("changeSeq")).longValue()).isEqualTo(realSeq + 1);
		assertThat(((Number) result.get("roomSeq")).longValue()).isEqualTo(realSeq + 1);
		assertThat(result.get("state")).isEqualTo("{\"round\":2}");
		assertThat(((Number) result.get("version")).longValue()).isEqualTo(1);
		assertThat(result.get("status")).isEqualTo("connected");
	}

	@Test
	@SuppressWarnings("unchecked")
	void helpersBehaveAsDocumented() {
		Map<String, Object> result = (Map<String, Object>) browser().asyncScript(
				"""
						const done = arguments[arguments.length - 1];
						import('/js/roomkeeper.js').then((m) => done({
						  delays: [m.backoffDelay(0, () => 0), m.backoffDelay(0, () => 1), m.backoffDelay(1, () => 1),
						    m.backoffDelay(4, () => 1), m.backoffDelay(5, () => 1), m.backoffDelay(5, () => 0), m.backoffDelay(40, () => 1)],
						  codes: [m.normalizeCode(' abc 234 '), m.normalizeCode('https://x.example/r/quiz-Night'),
						    m.normalizeCode('http://localhost:8080/r/ABC234?x=1'), m.normalizeCode('no'), m.normalizeCode('bad!code')],
						  merged: JSON.stringify(m.mergePatch({ a: 1, b: { c: 2, d: 3 }, e: [1] }, { b: { c: null, x: 1 }, e: null, f: 'g' })),
						  events: m.EVENT_TYPES.join(','),
						  words: m.describeProblem('rate-limited', { retryAfter: 30 }),
						  baseUrl: new m.Roomkeeper().baseUrl,
						})).catch((e) => done({ error: String(e) }));
						""");
		assertThat(result).doesNotContainKey("error");
		assertThat((List<Object>) result.get("delays")).map((delay) -> ((Number) delay).intValue())
			.containsExactly(500, 1000, 2000, 16000, 30000, 15000, 30000);
		assertThat((List<Object>) result.get("codes")).containsExactly("ABC234", "QUIZ-NIGHT", "ABC234", null, null);
		assertThat(result.get("merged")).isEqualTo("{\"a\":1,\"b\":{\"d\":3,\"x\":1},\"f\":\"g\"}");
		assertThat(result.get("events")).isEqualTo("snapshot,recovered,error,state,message,presence,member-joined,"
				+ "member-connected,member-disconnected,member-removed,settings,warning,closed");
		assertThat(result.get("words")).isEqualTo("Too many attempts. Please wait 30 seconds and try again.");
		assertThat(result.get("baseUrl")).isEqualTo(url(""));
	}

}
