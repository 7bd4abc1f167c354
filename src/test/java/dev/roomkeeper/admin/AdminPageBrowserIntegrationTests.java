package dev.roomkeeper.admin;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.roomkeeper.room.RoomRepository;
import dev.roomkeeper.room.RoomService;
import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.ExpectedErrorLogs;
import dev.roomkeeper.support.Screenshots;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin page in a real headless Chromium ({@code /usr/bin/chromium} with
 * {@code /usr/bin/chromedriver}, as Debian packages them; {@code .ci/run} installs them):
 * sign in with the token, see the rooms and the chart, close a room, stay signed in
 * across a reload, sign out. Shares the admin API tests' server (same properties).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "rooms.store.type=memory", "rooms.admin-token=" + AdminApiIntegrationTests.ADMIN_TOKEN,
				"rooms.limits.failed-joins-per-minute=1000" })
@ExpectedErrorLogs(
		value = { "org.openqa.selenium.devtools.CdpVersionFinder", "org.openqa.selenium.chromium.ChromiumDriver" },
		because = "Selenium warns that it has no DevTools (CDP) bindings for this Chromium version; the tests use WebDriver only")
class AdminPageBrowserIntegrationTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static WebDriver browser;

	@LocalServerPort
	int port;

	@Autowired
	RoomService rooms;

	@Autowired
	RoomRepository repository;

	private ApiClient api;

	@BeforeAll
	static void startBrowser() {
		assertThat(CHROMIUM).as("Chromium (apt-get install -y chromium chromium-driver)").isExecutable();
		assertThat(CHROMEDRIVER).as("chromedriver (apt-get install -y chromium chromium-driver)").isExecutable();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--window-size=1280,1100");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		browser = new ChromeDriver(service, options);
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.quit();
		}
	}

	@BeforeEach
	void setUp() {
		this.api = new ApiClient(this.port);
		this.repository.findAll().forEach((room) -> this.rooms.close(room.code(), "admin"));
		browser.get(url("/admin"));
		((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
		browser.navigate().refresh();
	}

	@Test
	void signInShowsRoomsAndChartThenCloseRemovesRoom() throws IOException {
		ApiClient.CreatedRoom quiz = this.api.createRoom(Map.of("name", "Quiz night"));
		this.api.join(quiz.code(), "Ann");
		this.api.join(quiz.code(), "Bob");
		ApiClient.CreatedRoom karaoke = this.api.createRoom(Map.of("name", "Karaoke"));

		signIn(AdminApiIntegrationTests.ADMIN_TOKEN);

		WebElement quizRow = row(quiz.code());
		assertThat(quizRow.findElement(By.cssSelector("td.name")).getText()).isEqualTo("Quiz night");
		assertThat(quizRow.findElement(By.cssSelector("td.members")).getText()).isEqualTo("2");
		assertThat(quizRow.findElement(By.cssSelector("td.connections")).getText()).isEqualTo("0");
		assertThat(quizRow.findElement(By.cssSelector("td.expires")).getText()).matches("23h 5\\dm|1d 0h");
		assertThat(rowCodes()).containsExactly(karaoke.code(), quiz.code());
		assertThat(browser.findElement(By.id("total-rooms")).getText()).isEqualTo("2");
		assertThat(browser.findElement(By.id("total-members")).getText()).isEqualTo("2");
		assertThat(browser.findElement(By.id("store")).getText()).isEqualTo("memory");
		assertThat(browser.findElements(By.cssSelector("#chart circle.dot.rooms"))).hasSize(1);
		assertThat(browser.findElements(By.cssSelector("#chart circle.dot.connections"))).hasSize(1);
		assertThat(browser.findElement(By.id("chart-desc")).getAttribute("textContent"))
			.startsWith("Now 2 open rooms and 0 connections");
		screenshot("admin.png");

		quizRow.findElement(By.cssSelector("button.close-room")).click();
		new WebDriverWait(browser, WAIT).until(ExpectedConditions.alertIsPresent()).accept();

		new WebDriverWait(browser, WAIT).until(ExpectedConditions
			.numberOfElementsToBe(By.cssSelector("#rooms tbody tr[data-code='" + quiz.code() + "']"), 0));
		assertThat(rowCodes()).containsExactly(karaoke.code());
		assertThat(message()).isEqualTo("Room " + quiz.code() + " closed.");
		assertThat(this.api.get("/api/rooms/" + quiz.code()).code()).isEqualTo("room-not-found");
	}

	@Test
	void tokenIsKeptForTheTabAcrossReloadUntilSignOut() {
		ApiClient.CreatedRoom room = this.api.createRoom();
		signIn(AdminApiIntegrationTests.ADMIN_TOKEN);
		row(room.code());
		assertThat(((JavascriptExecutor) browser).executeScript("return localStorage.length")).isEqualTo(0L);

		browser.navigate().refresh();

		row(room.code());
		assertThat(browser.findElement(By.id("sign-in")).isDisplayed()).isFalse();
		browser.findElement(By.id("sign-out")).click();
		assertThat(browser.findElement(By.id("sign-in")).isDisplayed()).isTrue();
		assertThat(((JavascriptExecutor) browser).executeScript("return sessionStorage.length")).isEqualTo(0L);
	}

	@Test
	void wrongTokenIsRefusedAndNothingIsShown() {
		this.api.createRoom();
		signIn("not-the-admin-token");
		new WebDriverWait(browser, WAIT)
			.until(ExpectedConditions.textToBe(By.id("message"), "The admin token was not accepted."));
		assertThat(browser.findElement(By.id("dashboard")).isDisplayed()).isFalse();
		assertThat(((JavascriptExecutor) browser).executeScript("return sessionStorage.length")).isEqualTo(0L);
	}

	private void signIn(String token) {
		WebElement input = new WebDriverWait(browser, WAIT)
			.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
		input.clear();
		input.sendKeys(token);
		browser.findElement(By.id("sign-in-button")).click();
	}

	private static WebElement row(String code) {
		return new WebDriverWait(browser, WAIT).until(ExpectedConditions
			.visibilityOfElementLocated(By.cssSelector("#rooms tbody tr[data-code='" + code + "']")));
	}

	private static List<String> rowCodes() {
		return browser.findElements(By.cssSelector("#rooms tbody tr"))
			.stream()
			.map((row) -> row.getAttribute("data-code"))
			.toList();
	}

	private static String message() {
		return browser.findElement(By.id("message")).getText();
	}

	private static void screenshot(String name) throws IOException {
		File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
		Path target = Screenshots.file(name);
		Files.createDirectories(target.getParent());
		Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

}
