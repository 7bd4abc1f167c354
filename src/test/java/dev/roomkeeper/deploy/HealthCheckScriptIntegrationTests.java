package dev.roomkeeper.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image's health check, {@code docker-healthcheck.sh}, run against a real server with
 * no program on {@code PATH} at all: it passes with bash alone, so it passes in an image
 * without curl or wget.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "rooms.store.type=file")
class HealthCheckScriptIntegrationTests {

	@TempDir
	static Path storeDir;

	@TempDir
	static Path emptyPath;

	@DynamicPropertySource
	static void store(DynamicPropertyRegistry registry) {
		registry.add("rooms.store.dir", () -> storeDir.toString());
	}

	@LocalServerPort
	int port;

	@Test
	void healthCheckWhenServerIsUpThenPasses() throws Exception {
		assertThat(healthCheck(Integer.toString(this.port), null)).isZero();
	}

	@Test
	void healthCheckReadsPortVariableWhenNoArgument() throws Exception {
		assertThat(healthCheck(null, Integer.toString(this.port))).isZero();
	}

	@Test
	void healthCheckWhenNothingListensThenFails() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		assertThat(healthCheck(Integer.toString(closedPort), null)).isEqualTo(1);
	}

	@Test
	void healthCheckWhenHealthIsDownThenFails() throws Exception {
		try (ServerSocket server = new ServerSocket(0)) {
			Thread answer = new Thread(() -> answerOnce(server, "HTTP/1.1 503 Service Unavailable"));
			answer.start();
			assertThat(healthCheck(Integer.toString(server.getLocalPort()), null)).isEqualTo(1);
			answer.join(10_000);
		}
	}

	private static void answerOnce(ServerSocket server, String statusLine) {
		try (Socket socket = server.accept()) {
			InputStream in = socket.getInputStream();
			byte[] request = new byte[4096];
			String read = "";
			while (!read.contains("\r\n\r\n")) {
				int n = in.read(request);
				if (n < 0) {
					return;
				}
				read += new String(request, 0, n, StandardCharsets.US_ASCII);
			}
			OutputStream out = socket.getOutputStream();
			out.write((statusLine + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
		}
		catch (IOException ex) {
			// the check gave up first: its exit status tells
		}
	}

	/**
	 * Runs the script with an empty PATH: any program other than bash's built-ins fails.
	 */
	private static int healthCheck(String portArgument, String portVariable) throws Exception {
		ProcessBuilder builder = (portArgument != null)
				? new ProcessBuilder("/bin/bash", "docker-healthcheck.sh", portArgument)
				: new ProcessBuilder("/bin/bash", "docker-healthcheck.sh");
		builder.environment().clear();
		builder.environment().put("PATH", emptyPath.toString());
		if (portVariable != null) {
			builder.environment().put("PORT", portVariable);
		}
		builder.redirectErrorStream(true);
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
		assertThat(output).as("script output").doesNotContain("command not found");
		return process.exitValue();
	}

}
