package dev.roomkeeper.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * The packaged server ({@code target/roomkeeper-*.jar}) running as a separate process, so
 * tests can {@code kill -9} it or send it SIGTERM. Its output goes to a log file.
 */
public final class ServerProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private final Path log;

	private ServerProcess(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	/**
	 * Starts the jar with these {@code key=value} properties and waits until it answers.
	 */
	public static ServerProcess start(Path log, String... properties) {
		ServerProcess server = launch(log, properties);
		server.awaitReady();
		return server;
	}

	/** Starts the jar without waiting (for start-ups expected to fail). */
	public static ServerProcess launch(Path log, String... properties) {
		int port = freePort();
		List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar",
				jar().toString(), "--server.port=" + port));
		for (String property : properties) {
			command.add("--" + property);
		}
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.start();
			return new ServerProcess(process, port, log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void awaitReady() {
		ApiClient api = api();
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						"The server exited with " + this.process.exitValue() + ":\n" + output());
			}
			try {
				return api.get("/api/rooms").status() == 200;
			}
			catch (UncheckedIOException ex) {
				return false;
			}
		});
	}

	public ApiClient api() {
		return new ApiClient(this.port);
	}

	public int port() {
		return this.port;
	}

	public Process process() {
		return this.process;
	}

	/** {@code kill -9}: the process gets no chance to flush anything. */
	public int kill9() {
		this.process.destroyForcibly();
		return waitForExit(Duration.ofSeconds(30));
	}

	/** SIGTERM: a graceful shutdown. */
	public int terminate(Duration timeout) {
		this.process.destroy();
		return waitForExit(timeout);
	}

	public int waitForExit(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new AssertionError("The server did not exit within " + timeout);
			}
			return this.process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public String output() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "(no output: " + ex.getMessage() + ")";
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
			waitForExit(Duration.ofSeconds(30));
		}
	}

	private static Path jar() {
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			return files.filter((path) -> path.getFileName().toString().matches("roomkeeper-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException(
						"No target/roomkeeper-*.jar: run 'mvn verify' (the jar is built in the package phase)"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String javaExecutable() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
