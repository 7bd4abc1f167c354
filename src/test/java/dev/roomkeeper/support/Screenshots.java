package dev.roomkeeper.support;

import java.nio.file.Path;

/**
 * Where the browser tests save their screenshots: {@code target/screenshots}, so that a
 * test run leaves the working tree clean; or {@code docs/}, the README's pictures, when
 * the system property {@value #PROPERTY} is {@code docs}: <pre>
 * mvn verify -Droomkeeper.screenshots=docs -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dit.test='RoomPagesBrowserIntegrationTests,AdminPageBrowserIntegrationTests'
 * </pre>
 */
public final class Screenshots {

	/** The system property that sends screenshots to {@code docs/}. */
	public static final String PROPERTY = "roomkeeper.screenshots";

	private Screenshots() {
	}

	/** The file a screenshot named {@code name} (e.g. {@code room.png}) is saved to. */
	public static Path file(String name) {
		return directory().resolve(name);
	}

	static Path directory() {
		return "docs".equals(System.getProperty(PROPERTY)) ? Path.of("docs") : Path.of("target", "screenshots");
	}

}
