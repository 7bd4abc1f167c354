package dev.roomkeeper.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Collectors;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.util.FileSystemUtils;

/**
 * A real headless Chromium driven by Selenium: Debian's {@code /usr/bin/chromium} and
 * {@code /usr/bin/chromedriver}, named explicitly so Selenium Manager never downloads a
 * browser or a driver. Each browser has its own fresh profile (its own
 * {@code localStorage}), so two of them are two people. Missing binaries fail the test
 * with the command that installs them.
 */
public final class Browser implements AutoCloseable {

	public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	/** How long a page may take to show what a test waits for. */
	public static final Duration WAIT = Duration.ofSeconds(20);

	private final ChromeDriver driver;

	private final Path profile;

	private final Screen screen;

	private Browser(ChromeDriver driver, Path profile, Screen screen) {
		this.driver = driver;
		this.profile = profile;
		this.screen = screen;
	}

	/**
	 * The viewport a page sees.
	 *
	 * @param width CSS pixels
	 * @param height CSS pixels
	 * @param scale device pixels per CSS pixel
	 * @param mobile whether it is a phone (touch, mobile viewport rules)
	 */
	public record Screen(int width, int height, double scale, boolean mobile) {

		Map<String, Object> deviceMetrics(int height) {
			return Map.of("width", this.width, "height", height, "deviceScaleFactor", this.scale, "mobile",
					this.mobile);
		}

	}

	/** A desktop-sized browser (1280 × 900). */
	public static Browser desktop() {
		return start(new Screen(1280, 900, 1, false));
	}

	/** A phone-sized browser (390 × 844 CSS pixels at 2×, a common phone). */
	public static Browser phone() {
		return start(new Screen(390, 844, 2, true));
	}

	public static Browser start(Screen screen) {
		requireInstalled(CHROMIUM);
		requireInstalled(CHROMEDRIVER);
		System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
		Path profile;
		try {
			profile = Files.createTempDirectory("roomkeeper-chromium-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-extensions", "--no-first-run", "--hide-scrollbars", "--user-data-dir=" + profile,
				"--window-size=" + Math.max(screen.width(), 800) + "," + (screen.height() + 200));
		options.setExperimentalOption("mobileEmulation",
				Map.of("deviceMetrics", Map.of("width", screen.width(), "height", screen.height(), "pixelRatio",
						screen.scale(), "mobile", screen.mobile(), "touch", screen.mobile())));
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.BROWSER, Level.ALL);
		options.setCapability("goog:loggingPrefs", logs);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		return new Browser(new ChromeDriver(service, options), profile, screen);
	}

	private static void requireInstalled(Path binary) {
		if (!Files.isExecutable(binary)) {
			throw new AssertionError(binary + " is missing: the browser tests need Debian's Chromium and its driver. "
					+ "Install them with: apt-get install -y chromium chromium-driver");
		}
	}

	public WebDriver driver() {
		return this.driver;
	}

	public Browser open(String url) {
		this.driver.get(url);
		return this;
	}

	public String currentUrl() {
		return this.driver.getCurrentUrl();
	}

	public void reload() {
		this.driver.navigate().refresh();
	}

	/** The element once it is visible. */
	public WebElement visible(String css) {
		return waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
	}

	/** Waits until the element is hidden or gone. */
	public void gone(String css) {
		waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(css)));
	}

	/** Waits until the element's text (trimmed) equals {@code text}. */
	public void awaitText(String css, String text) {
		waiting().withMessage(() -> css + " to read '" + text + "' but it reads '" + textOrNull(css) + "'")
			.until((driver) -> text.equals(textOrNull(css)));
	}

	/** Waits until the element's text contains {@code text}. */
	public void awaitTextContaining(String css, String text) {
		waiting().withMessage(() -> css + " to contain '" + text + "' but it reads '" + textOrNull(css) + "'")
			.until((driver) -> {
				String actual = textOrNull(css);
				return actual != null && actual.contains(text);
			});
	}

	/** Waits until an attribute of {@code body} (a {@code data-*} one) has a value. */
	public void awaitBodyData(String name, String value) {
		waiting().withMessage(() -> "body data-" + name + " to be '" + value + "' but it is '" + bodyData(name) + "'")
			.until((driver) -> value.equals(bodyData(name)));
	}

	public String bodyData(String name) {
		return this.driver.findElement(By.tagName("body")).getAttribute("data-" + name);
	}

	public <T> T await(String what, Function<WebDriver, T> condition) {
		return waiting().withMessage(what).until(condition);
	}

	public String text(String css) {
		return this.driver.findElement(By.cssSelector(css)).getText().trim();
	}

	private String textOrNull(String css) {
		List<WebElement> found = this.driver.findElements(By.cssSelector(css));
		return found.isEmpty() ? null : found.get(0).getText().trim();
	}

	public List<WebElement> all(String css) {
		return this.driver.findElements(By.cssSelector(css));
	}

	public void click(String css) {
		waiting().until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
	}

	public void type(String css, String text) {
		WebElement input = visible(css);
		input.clear();
		input.sendKeys(text);
	}

	public Object script(String script, Object... args) {
		return ((JavascriptExecutor) this.driver).executeScript(script, args);
	}

	/**
	 * Runs an async script: the last argument is the callback that returns its result.
	 */
	public Object asyncScript(String script, Object... args) {
		return ((JavascriptExecutor) this.driver).executeAsyncScript(script, args);
	}

	/** Saves a screenshot of the viewport as a PNG file. */
	public void screenshot(Path file) {
		Path shot = this.driver.getScreenshotAs(OutputType.FILE).toPath();
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
			Files.copy(shot, file, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Saves a screenshot of the whole page (the viewport grown to the page's height for
	 * the moment) as a PNG file, scrolled to the top.
	 */
	public void screenshotFullPage(Path file) {
		script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)");
		Number height = (Number) script("return document.documentElement.scrollHeight");
		this.driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
				this.screen.deviceMetrics(Math.max(this.screen.height(), height.intValue())));
		try {
			screenshot(file);
		}
		finally {
			this.driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
					this.screen.deviceMetrics(this.screen.height()));
		}
	}

	/** Saves a screenshot of the top of the page (the first screenful) as a PNG file. */
	public void screenshotTop(Path file) {
		script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)");
		screenshot(file);
	}

	/** The browser console so far (for failure messages). */
	public String console() {
		return this.driver.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.map((entry) -> entry.getLevel() + " " + entry.getMessage())
			.collect(Collectors.joining("\n"));
	}

	private WebDriverWait waiting() {
		WebDriverWait wait = new WebDriverWait(this.driver, WAIT);
		wait.pollingEvery(Duration.ofMillis(50));
		// a page that navigates replaces its elements while a condition looks at them
		wait.ignoring(StaleElementReferenceException.class);
		return wait;
	}

	@Override
	public void close() {
		try {
			this.driver.quit();
		}
		finally {
			try {
				FileSystemUtils.deleteRecursively(this.profile);
			}
			catch (IOException ex) {
				// a temp directory; not worth failing a test over
			}
		}
	}

}
