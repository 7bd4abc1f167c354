package dev.roomkeeper.pages;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.Browser;
import dev.roomkeeper.support.BrowserExtension;
import dev.roomkeeper.support.ExpectedErrorLogs;
import dev.roomkeeper.support.Tickets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client module with join tickets in a real headless Chromium: {@code joinRoom(code,
 * {ticket})} and {@code connect(code, {ticket})} (which keeps the member token CONNECTED
 * gives) land on the same member for the same user; the declarations are served beside
 * the module.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "rooms.store.type=memory", "rooms.limits.failed-joins-per-minute=100000",
				"rooms.tickets.secrets=" + TicketClientBrowserIntegrationTests.SECRET })
@ExpectedErrorLogs(
		value = { "org.openqa.selenium.devtools.CdpVersionFinder", "org.openqa.selenium.chromium.ChromiumDriver" },
		because = "Selenium warns that it has no DevTools (CDP) bindings for this Chromium version; the tests use WebDriver only")
class TicketClientBrowserIntegrationTests {

	static final String SECRET = "ticket-secret-0123456789-0123456789-abcdef";

	@RegisterExtension
	static final BrowserExtension browsers = BrowserExtension.desktop("browser");

	@LocalServerPort
	int port;

	private static Browser browser() {
		return browsers.browser();
	}

	@Test
	@SuppressWarnings("unchecked")
	void joinAndConnectWithTicketsGiveTheSameMember() {
		String code = new ApiClient(this.port).createRoom().code();
		browser().open("http://localhost:" + this.port + "/");
		Map<String, Object> result = (Map<String, Object>) browser().asyncScript(
				"""
						const done = arguments[arguments.length - 1];
						const [code, first, second] = [arguments[0], arguments[1], arguments[2]];
						(async () => {
						  const { Roomkeeper } = await import('/js/roomkeeper.js');
						  const memoryStorage = () => { const store = new Map(); return { getItem: (k) => store.has(k) ? store.get(k) : null,
						    setItem: (k, v) => store.set(k, v), removeItem: (k) => store.delete(k), key: (i) => [...store.keys()][i],
						    get length() { return store.size; } }; };
						  const rk = new Roomkeeper({ storage: memoryStorage() });
						  const joined = await rk.joinRoom(code, { ticket: first });
						  const other = new Roomkeeper({ storage: memoryStorage() });
						  const live = other.connect(code, { ticket: second, keepAlive: 'off' });
						  await new Promise((resolve) => live.addEventListener('snapshot', resolve, { once: true }));
						  const types = await fetch('/js/roomkeeper.d.ts');
						  done({ userId: joined.member.userId, joinedId: joined.member.id, liveId: live.memberId,
						    keptToken: !!other.membership(code)?.token, status: live.status, members: live.room.members.length,
						    types: types.status, typesText: (await types.text()).includes('joinRoom(') });
						  live.close();
						})().catch((e) => done({ error: String(e) }));
						""",
				code, Tickets.mint(SECRET, code, "user-7", "Ann"), Tickets.mint(SECRET, code, "user-7", "Ann"));
		assertThat(result).doesNotContainKey("error");
		assertThat(result.get("userId")).isEqualTo("user-7");
		assertThat(result.get("liveId")).isEqualTo(result.get("joinedId"));
		assertThat(result.get("keptToken")).isEqualTo(true);
		assertThat(result.get("status")).isEqualTo("connected");
		assertThat(((Number) result.get("members")).intValue()).isEqualTo(1);
		assertThat(((Number) result.get("types")).intValue()).isEqualTo(200);
		assertThat(result.get("typesText")).isEqualTo(true);
	}

}
