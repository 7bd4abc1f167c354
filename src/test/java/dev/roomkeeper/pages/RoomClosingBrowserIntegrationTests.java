package dev.roomkeeper.pages;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.Browser;
import dev.roomkeeper.support.BrowserExtension;
import dev.roomkeeper.support.ExpectedErrorLogs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An idle room on the room page, with short timeouts: the warning banner counts down,
 * "I'm still here" keeps the room, and when nobody does anything again the banner comes
 * back and then the "room closed" screen. An open page alone is not activity: only
 * someone using it (or the button) sends keep-alives.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "rooms.store.type=memory", "rooms.idle-timeout=6s", "rooms.warning-before=4s",
				"rooms.sweep-interval=200ms" })
@ExpectedErrorLogs(
		value = { "org.openqa.selenium.devtools.CdpVersionFinder", "org.openqa.selenium.chromium.ChromiumDriver" },
		because = "Selenium warns that it has no DevTools (CDP) bindings for this Chromium version; the tests use WebDriver only")
class RoomClosingBrowserIntegrationTests {

	@RegisterExtension
	static final BrowserExtension browsers = BrowserExtension.phone("browser");

	@LocalServerPort
	int port;

	private static Browser browser() {
		return browsers.browser();
	}

	@Test
	void idleRoomThenWarningWithCountdownThenStillHereKeepsItThenClosedScreen() {
		browser().open("http://localhost:" + this.port + "/");
		browser().awaitBodyData("ready", "true");
		browser().type("#create-your-name", "Ann");
		browser().type("#create-room-name", "Sleepy room");
		browser().click("#create-button");
		browser().awaitBodyData("view", "room");
		browser().awaitBodyData("status", "connected");
		String code = browser().text("#room-code");
		// someone uses the page: a keep-alive, and the idle period starts while
		// subscribed
		browser().click("#room-name");

		browser().visible("#warning");
		assertThat(browser().text("#countdown")).matches("0:0[1-4]");
		assertThat(browser().text("#warning")).contains("This room closes in");

		browser().click("#still-here");
		browser().gone("#warning");
		ApiClient.Response summary = new ApiClient(this.port).get("/api/rooms/" + code).expectStatus(200);
		assertThat(Instant.parse(summary.body().get("expiresAt").asString())).isAfter(Instant.now().plusSeconds(3));

		browser().visible("#warning");
		browser().awaitBodyData("view", "ended");
		browser().awaitText("#ended-title", "This room has closed");
		assertThat(browser().text("#ended-text"))
			.isEqualTo("Nobody did anything for a while, so it closed to free its place.");
		assertThat(browser().visible("#back-to-lobby").getAttribute("href")).endsWith("/");
		assertThat(new ApiClient(this.port).get("/api/rooms/" + code).code()).isEqualTo("room-not-found");
	}

}
