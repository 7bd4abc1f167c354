package dev.roomkeeper;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SigtermExit}: with its system property a SIGTERM ends the JVM with status 0
 * (what {@code mvn spring-boot:run} accepts as a clean stop), without it with 143.
 */
class SigtermExitTests {

	@Test
	void sigtermEndsWithZeroWhenRequested() throws Exception {
		assertThat(exitStatusAfterSigterm(true)).isZero();
	}

	@Test
	void sigtermEndsWith143Otherwise() throws Exception {
		assertThat(exitStatusAfterSigterm(false)).isEqualTo(143);
	}

	private int exitStatusAfterSigterm(boolean requested) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		if (requested) {
			command.add("-D" + SigtermExit.PROPERTY + "=true");
		}
		command.add(Sleeper.class.getName());
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(new File(System.getProperty("java.io.tmpdir"), "sigterm-exit-tests.log"))
			.start();
		try {
			// The sleeper creates its marker once the handler is in place.
			Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Sleeper.ready(process.pid()));
			process.destroy(); // SIGTERM
			assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
			return process.exitValue();
		}
		finally {
			process.destroyForcibly();
		}
	}

	/** A JVM that installs the handler (when asked), says so, and waits. */
	static final class Sleeper {

		static boolean ready(long pid) {
			return new File(System.getProperty("java.io.tmpdir"), "sigterm-exit-" + pid + ".ready").exists();
		}

		public static void main(String[] args) throws Exception {
			SigtermExit.installIfRequested();
			File marker = new File(System.getProperty("java.io.tmpdir"),
					"sigterm-exit-" + ProcessHandle.current().pid() + ".ready");
			marker.deleteOnExit();
			marker.createNewFile();
			Thread.sleep(60_000);
		}

	}

}
