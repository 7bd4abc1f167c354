package dev.roomkeeper.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A throwaway {@code redis-server} process on a free port of 127.0.0.1, for tests that
 * stop Redis and start it again. It keeps an append-only file in a directory of the
 * test's, so data survives a stop and start (as the README recommends for production).
 */
public final class RedisServerProcess implements AutoCloseable {

	private final int port;

	private final Path dir;

	private Process process;

	private RedisServerProcess(int port, Path dir) {
		this.port = port;
		this.dir = dir;
	}

	/** Starts a server whose files go to {@code dir}, and waits until it answers. */
	public static RedisServerProcess start(Path dir) {
		RedisServerProcess server = new RedisServerProcess(freePort(), dir);
		server.start();
		return server;
	}

	public String url() {
		return "redis://127.0.0.1:" + this.port;
	}

	/** Starts the server again on the same port (after {@link #stop}). */
	public void start() {
		List<String> command = List.of("redis-server", "--port", String.valueOf(this.port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "yes", "--dir", this.dir.toString(), "--logfile",
				this.dir.resolve("redis.log").toString());
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			throw new AssertionError("This test starts its own Redis and needs redis-server on the PATH "
					+ "(Debian: apt-get install redis-server): " + ex.getMessage(), ex);
		}
		await().atMost(Duration.ofSeconds(20)).until(this::answers);
	}

	/** Stops the server (SIGTERM: it writes its append-only file and exits). */
	public void stop() {
		if (this.process == null) {
			return;
		}
		this.process.destroy();
		try {
			if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.process = null;
	}

	/** Whether the server answers {@code PING}. */
	public boolean answers() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 500);
			socket.setSoTimeout(1000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] reply = in.readNBytes(7);
			return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Override
	public void close() {
		stop();
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
