package dev.roomkeeper.pages;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.Browser;
import dev.roomkeeper.support.ExpectedErrorLogs;
import dev.roomkeeper.support.QrImages;
import dev.roomkeeper.support.RunningApp;
import dev.roomkeeper.support.Screenshots;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lobby and the room page in two real headless Chromium browsers (two people: a
 * desktop owner and a phone guest, each with its own {@code localStorage}) against the
 * whole application on the file store, on a fixed port so it can be restarted under the
 * pages. The first test also takes the README's screenshots (under
 * {@code target/screenshots}, or {@code docs/} with
 * {@code -Droomkeeper.screenshots=docs}: see {@link Screenshots}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExpectedErrorLogs(
		value = { "org.openqa.selenium.devtools.CdpVersionFinder", "org.openqa.selenium.chromium.ChromiumDriver" },
		because = "Selenium warns that it has no DevTools (CDP) bindings for this Chromium version; the tests use WebDriver only")
class RoomPagesBrowserIntegrationTests {

	@TempDir
	static Path storeDir;

	private static int port;

	private static RunningApp app;

	private static Browser owner;

	private static Browser guest;

	@BeforeAll
	static void start() {
		port = RunningApp.freePort();
		app = startApp();
		owner = Browser.desktop();
		guest = Browser.phone();
	}

	private static RunningApp startApp() {
		return RunningApp.start("rooms.store.type=file", "rooms.store.dir=" + storeDir, "server.port=" + port,
				"rooms.limits.failed-joins-per-minute=1000");
	}

	@AfterAll
	static void stop() {
		for (AutoCloseable closeable : new AutoCloseable[] { guest, owner, app }) {
			try {
				if (closeable != null) {
					closeable.close();
				}
			}
			catch (Exception ex) {
				// keep closing the others
			}
		}
	}

	@RegisterExtension
	final TestWatcher consoleOnFailure = new TestWatcher() {

		@Override
		public void testFailed(ExtensionContext context, Throwable cause) {
			System.out.println("[owner console]\n" + owner.console() + "\n[guest console]\n" + guest.console());
		}

	};

	private static String url(String path) {
		return "http://localhost:" + port + path;
	}

	@Test
	@Order(1) // first, so the screenshots show a fresh lobby: no rooms of the other tests
	void createInLobbyThenGuestJoinsByQrCodeThenBothSeeEachOtherAndEachOthersCounterChanges() {
		ApiClient api = app.api();
		ApiClient.CreatedRoom karaoke = api
			.createRoom(Map.of("name", "Karaoke queue", "listed", true, "maxMembers", 12));
		api.join(karaoke.code(), "Dana");
		api.join(karaoke.code(), "Eli");
		api.createRoom(Map.of("name", "Movie night", "listed", true, "maxMembers", 6));

		owner.open(url("/"));
		owner.awaitBodyData("ready", "true");
		owner.awaitTextContaining("#open-list", "Karaoke queue");
		assertThat(owner.text("#open-list li[data-code='" + karaoke.code() + "'] .meta")).isEqualTo("2 / 12 people");
		owner.type("#create-your-name", "Ann");
		owner.type("#create-room-name", "Quiz night");
		owner.screenshotFullPage(Screenshots.file("lobby.png"));

		Room room = createRoomInLobby("Ann", "Quiz night");
		assertThat(owner.text("#room-name")).isEqualTo("Quiz night");
		String annId = owner.bodyData("member-id");
		assertThat(owner.text("#members li[data-member-id='" + annId + "'] .name")).isEqualTo("Ann (you)");
		assertThat(owner.visible("#owner-card").isDisplayed()).isTrue();
		assertThat(owner.visible("#join-url").getAttribute("value")).isEqualTo(url("/r/" + room.code()));

		String scanned = QrImages.download(url("/api/rooms/" + room.code() + "/qr.png?size=256"));
		assertThat(scanned).isEqualTo(url("/r/" + room.code()));
		String bobId = joinAsGuest(scanned, "Bob");

		awaitOnline(owner, bobId);
		awaitOnline(guest, annId);
		owner.awaitText("#members-count", "2 online · 2 of 8");

		owner.click("#counter-up");
		guest.awaitText("#counter-value", "1");
		guest.awaitText("#counter-by", "Ann set it to 1");
		guest.click("#counter-up");
		guest.click("#counter-up");
		owner.awaitText("#counter-value", "3");
		owner.awaitText("#counter-by", "Bob set it to 3");
		guest.awaitText("#counter-value", "3");

		owner.type("#chat-input", "Welcome to quiz night! First round in five minutes.");
		owner.click("#chat-send");
		guest.awaitTextContaining("#chat-log", "Welcome to quiz night!");
		guest.type("#chat-input", "Ready when you are");
		guest.click("#chat-send");
		owner.awaitTextContaining("#chat-log", "Ready when you are");
		assertThat(owner.text("#chat-log li.mine")).contains("Welcome to quiz night!");

		api.join(room.code(), "Cid");
		owner.awaitText("#members-count", "2 online · 3 of 8");
		owner.awaitTextContaining("#members", "Away");
		owner.click("#copy-link");
		owner.awaitTextContaining("#copied", "Link copied");
		owner.screenshotFullPage(Screenshots.file("room.png"));
		guest.screenshotTop(Screenshots.file("room-phone.png"));
	}

	@Test
	void reloadWhenTokenKeptThenResumesAsTheSameMemberWithoutJoiningAgain() {
		Room room = createRoomInLobby("Ann", "Reload test");
		String bobId = joinAsGuest(url("/r/" + room.code()), "Bob");
		owner.click("#counter-up");
		guest.awaitText("#counter-value", "1");

		guest.reload();
		guest.awaitBodyData("view", "room");
		guest.awaitBodyData("status", "connected");
		assertThat(guest.bodyData("member-id")).isEqualTo(bobId);
		guest.awaitText("#counter-value", "1");
		awaitOnline(owner, bobId);
		assertThat(owner.all("#members li")).hasSize(2);
		assertThat(app.api().get("/api/rooms/" + room.code()).body().get("memberCount").asInt()).isEqualTo(2);
	}

	@Test
	void restartOnFileStoreThenBothPagesReconnectByThemselvesWithTheSameState() {
		Room room = createRoomInLobby("Ann", "Restart test");
		String annId = owner.bodyData("member-id");
		String bobId = joinAsGuest(url("/r/" + room.code()), "Bob");
		owner.click("#counter-up");
		owner.click("#counter-up");
		guest.awaitText("#counter-value", "2");

		app.close();
		owner.awaitBodyData("status", "reconnecting");
		guest.awaitBodyData("status", "reconnecting");
		owner.awaitTextContaining("#status-text", "Reconnecting");
		app = startApp();

		owner.awaitBodyData("status", "connected");
		guest.awaitBodyData("status", "connected");
		owner.awaitText("#counter-value", "2");
		guest.awaitText("#counter-value", "2");
		assertThat(owner.bodyData("member-id")).isEqualTo(annId);
		assertThat(guest.bodyData("member-id")).isEqualTo(bobId);
		awaitOnline(owner, bobId);
		awaitOnline(guest, annId);

		guest.click("#counter-up");
		owner.awaitText("#counter-value", "3");
	}

	@Test
	void ownerLocksKicksAndClosesAndTheGuestSeesEach() {
		Room room = createRoomInLobby("Ann", "Owner test");
		String bobId = joinAsGuest(url("/r/" + room.code()), "Bob");
		assertThat(guest.visible("#view-room").isDisplayed()).isTrue();
		assertThat(guest.all("#owner-card")).allMatch((card) -> !card.isDisplayed());

		owner.click("#lock-toggle");
		guest.visible("#locked-badge");
		owner.awaitText("#lock-toggle", "Unlock room");
		assertThat(app.api().post("/api/rooms/" + room.code() + "/members", Map.of("name", "Zed")).code())
			.isEqualTo("room-locked");

		String kick = "#members li[data-member-id='" + bobId + "'] button.kick";
		owner.click(kick);
		owner.awaitText(kick, "Sure?");
		owner.click(kick);
		guest.awaitBodyData("view", "ended");
		guest.awaitText("#ended-title", "You were removed");
		owner.gone("#members li[data-member-id='" + bobId + "']");

		owner.click("#close-room");
		owner.click("#close-room");
		owner.awaitBodyData("view", "ended");
		owner.awaitText("#ended-title", "This room has closed");
		assertThat(owner.text("#ended-text")).isEqualTo("The owner closed it. Thanks for coming!");
		owner.click("#back-to-lobby");
		owner.awaitBodyData("ready", "true");
		assertThat(owner.currentUrl()).isEqualTo(url("/"));
	}

	/** The owner creates a room in the lobby and lands on its page. */
	private Room createRoomInLobby(String yourName, String roomName) {
		owner.open(url("/"));
		owner.awaitBodyData("ready", "true");
		owner.type("#create-your-name", yourName);
		owner.type("#create-room-name", roomName);
		owner.click("#create-button");
		owner.awaitBodyData("view", "room");
		owner.awaitBodyData("status", "connected");
		String code = owner.text("#room-code");
		assertThat(owner.currentUrl()).isEqualTo(url("/r/" + code));
		return new Room(code);
	}

	/** The guest opens a join link, enters a name and lands in the room. */
	private String joinAsGuest(String joinUrl, String name) {
		guest.open(joinUrl);
		guest.awaitBodyData("view", "join");
		guest.type("#join-name", name);
		guest.click("#join-button");
		guest.awaitBodyData("view", "room");
		guest.awaitBodyData("status", "connected");
		return guest.bodyData("member-id");
	}

	private static void awaitOnline(Browser browser, String memberId) {
		browser.await("member " + memberId + " shown online",
				(driver) -> !browser
					.all("#members li[data-member-id='" + memberId + "'][data-online='true'] .dot.online")
					.isEmpty());
	}

	private record Room(String code) {
	}

}
