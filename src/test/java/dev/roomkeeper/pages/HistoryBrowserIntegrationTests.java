package dev.roomkeeper.pages;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.Browser;
import dev.roomkeeper.support.LiveClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Room history in a real headless Chromium: the client module resumes by itself after its
 * socket drops (the missed events, then {@code recovered}, no snapshot) and keeps
 * {@code messages}; the room page shows the chat backlog to someone who joins late.
 * Shares the other browser tests' server (same properties).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "rooms.store.type=memory", "rooms.limits.failed-joins-per-minute=100000" })
class HistoryBrowserIntegrationTests {

	private static Browser browser;

	@LocalServerPort
	int port;

	@RegisterExtension
	final TestWatcher consoleOnFailure = new TestWatcher() {

		@Override
		public void testFailed(ExtensionContext context, Throwable cause) {
			System.out.println("[browser console]\n" + browser.console());
		}

	};

	@BeforeAll
	static void startBrowser() {
		browser = Browser.desktop();
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.close();
		}
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	@Test
	@SuppressWarnings("unchecked")
	void socketDropsThenTheClientResumesWithTheMissedEventsAndNoSnapshot() {
		browser.open(url("/"));
		Map<String, Object> result;
		try {
			result = (Map<String, Object>) browser.asyncScript(
					"""
							const done = arguments[arguments.length - 1];
							(async () => {
							  const Real = window.WebSocket;
							  const sockets = [];
							  let blocked = false;
							  // A socket that cannot connect while `blocked`: the member stays away.
							  window.WebSocket = class extends Real {
							    constructor(url, protocols) {
							      super(blocked ? 'ws://127.0.0.1:9/' : url, protocols);
							      sockets.push(this);
							    }
							  };
							  const { Roomkeeper } = await import('/js/roomkeeper.js');
							  const storage = () => {
							    const store = new Map();
							    return { getItem: (k) => store.has(k) ? store.get(k) : null, setItem: (k, v) => store.set(k, v),
							      removeItem: (k) => store.delete(k), key: (i) => [...store.keys()][i], get length() { return store.size; } };
							  };
							  const ann = new Roomkeeper({ storage: storage() });
							  const bob = new Roomkeeper({ storage: storage() });
							  const { room } = await ann.createRoom({ name: 'Resume', state: { round: 1 } });
							  await ann.joinRoom(room.code, { name: 'Ann' });
							  await bob.joinRoom(room.code, { name: 'Bob' });
							  const next = (live, type, wanted = () => true) => new Promise((resolve) => {
							    const off = live.on(type, (detail) => { if (wanted(detail)) { off(); resolve(detail); } });
							  });
							  const a = ann.connect(room.code, { keepAlive: 'off' });
							  await next(a, 'snapshot'); window.__step = 'a snapshot';
							  const annSocket = sockets[sockets.length - 1];
							  const b = bob.connect(room.code, { keepAlive: 'off' });
							  await next(b, 'snapshot'); window.__step = 'b snapshot';
							  const text = (wanted) => (detail) => detail.data?.text === wanted;
							  b.broadcast({ kind: 'chat', text: 'before' });
							  await next(a, 'message', text('before')); window.__step = 'before';

							  const snapshots = [];
							  const seen = [];
							  a.on('snapshot', (detail) => snapshots.push(detail.seq));
							  a.on('message', (detail) => seen.push(detail.data.text));
							  blocked = true;
							  const away = next(a, 'status', (detail) => detail.status === 'reconnecting');
							  annSocket.close();
							  await away; window.__step = 'away';
							  b.broadcast({ kind: 'chat', text: 'while away 1' });
							  b.setState({ round: 2 });
							  b.broadcast({ kind: 'chat', text: 'while away 2' });
							  await next(b, 'message', text('while away 2')); window.__step = 'sent while away';
							  blocked = false;
							  const recovered = next(a, 'recovered');
							  window.dispatchEvent(new Event('online'));
							  const answer = await recovered; window.__step = 'recovered';
							  const afterOnBoth = Promise.all([next(a, 'message', text('after')), next(b, 'message', text('after'))]);
							  b.broadcast({ kind: 'chat', text: 'after' });
							  await afterOnBoth;
							  done({ snapshots, seen, count: answer.count, messages: a.messages.map((m) => m.data.text),
							    annSeq: a.room.seq, bobSeq: b.room.seq, round: a.room.state.round, status: a.status,
							    annState: JSON.stringify(a.room.state), bobState: JSON.stringify(b.room.state),
							    annMembers: JSON.stringify(a.room.members.map((m) => [m.id, m.connected])),
							    bobMembers: JSON.stringify(b.room.members.map((m) => [m.id, m.connected])) });
							  a.close();
							  b.close();
							})().catch((e) => done({ error: String(e) }));
							""");
		}
		catch (org.openqa.selenium.ScriptTimeoutException ex) {
			throw new AssertionError("The script timed out after step: " + browser.script("return window.__step") + "\n"
					+ browser.console(), ex);
		}
		assertThat(result).as(() -> "reached: " + browser.script("return window.__step")).doesNotContainKey("error");
		assertThat((List<Object>) result.get("snapshots")).isEmpty();
		assertThat((List<Object>) result.get("seen")).containsExactly("while away 1", "while away 2", "after");
		assertThat(((Number) result.get("count")).intValue()).isGreaterThanOrEqualTo(3);
		assertThat((List<Object>) result.get("messages")).containsExactly("before", "while away 1", "while away 2",
				"after");
		assertThat(result.get("annSeq")).isEqualTo(result.get("bobSeq"));
		assertThat(result.get("annState")).isEqualTo(result.get("bobState")).isEqualTo("{\"round\":2}");
		assertThat(result.get("annMembers")).isEqualTo(result.get("bobMembers"));
		assertThat(result.get("status")).isEqualTo("connected");
	}

	@Test
	void joinLateThenTheRoomPageShowsTheChatBacklogAndAfterAReloadToo() {
		ApiClient api = new ApiClient(this.port);
		ApiClient.CreatedRoom room = api.createRoom(Map.of("name", "Backlog"));
		ApiClient.JoinedMember ann = api.join(room.code(), "Ann");
		try (LiveClient live = new LiveClient(this.port)) {
			LiveClient.Session session = live.connect(ann.token());
			session.join(room.code());
			for (String text : List.of("first words", "second words")) {
				session.send("/app/rooms/" + room.code() + "/broadcast",
						Map.of("data", Map.of("kind", "chat", "text", text, "name", "Ann")));
			}
			session.awaitRoom((event) -> "second words".equals(event.body().path("data").path("text").asString()));
		}

		browser.open(url("/"));
		browser.script("localStorage.clear()");
		browser.open(url("/r/" + room.code()));
		browser.awaitBodyData("view", "join");
		browser.type("#join-name", "Zoe");
		browser.click("#join-button");
		browser.awaitBodyData("status", "connected");
		browser.awaitTextContaining("#chat-log", "second words");
		assertThat(browser.text("#chat-log")).containsSubsequence("first words", "second words");

		browser.reload();
		browser.awaitBodyData("status", "connected");
		browser.awaitTextContaining("#chat-log", "second words");
		assertThat(browser.text("#chat-log")).containsSubsequence("first words", "second words");
	}

}
