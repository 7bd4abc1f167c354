package dev.roomkeeper.support;

import java.util.function.Supplier;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One headless {@link Browser} for all tests of a class: started before them, closed
 * after them, and its console printed when a test fails. Register it on a static field:
 * <pre>
 * &#64;RegisterExtension
 * static final BrowserExtension browsers = BrowserExtension.phone("guest");
 * </pre>
 */
public final class BrowserExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher {

	private final String name;

	private final Supplier<Browser> start;

	private Browser browser;

	private BrowserExtension(String name, Supplier<Browser> start) {
		this.name = name;
		this.start = start;
	}

	/** A desktop-sized browser ({@link Browser#desktop()}). */
	public static BrowserExtension desktop(String name) {
		return new BrowserExtension(name, Browser::desktop);
	}

	/** A phone-sized browser ({@link Browser#phone()}). */
	public static BrowserExtension phone(String name) {
		return new BrowserExtension(name, Browser::phone);
	}

	/** The started browser. */
	public Browser browser() {
		if (this.browser == null) {
			throw new IllegalStateException("The " + this.name + " browser is not started");
		}
		return this.browser;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		this.browser = this.start.get();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.browser != null) {
			this.browser.close();
			this.browser = null;
		}
	}

	@Override
	public void testFailed(ExtensionContext context, Throwable cause) {
		if (this.browser != null) {
			System.out.println("[" + this.name + " console]\n" + this.browser.console());
		}
	}

}
