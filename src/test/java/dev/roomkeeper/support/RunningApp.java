package dev.roomkeeper.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.roomkeeper.RoomkeeperApplication;

/**
 * Starts the whole application in this JVM on a random port, for tests that stop and
 * start it again (restarts) or run several instances.
 */
public final class RunningApp implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private RunningApp(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * Starts the application with these {@code key=value} properties (plus a random port
	 * unless they name {@code server.port}, as a restart on the same port does).
	 */
	public static RunningApp start(String... properties) {
		List<String> all = new ArrayList<>(List.of(properties));
		if (all.stream().noneMatch((property) -> property.startsWith("server.port="))) {
			all.add("server.port=0");
		}
		String[] args = all.stream().map((property) -> "--" + property).toArray(String[]::new);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(RoomkeeperApplication.class).run(args);
		return new RunningApp(context);
	}

	/**
	 * A port that was free a moment ago, for an app that must restart on the same port.
	 */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public int port() {
		return Integer.parseInt(this.context.getEnvironment().getProperty("local.server.port"));
	}

	public ApiClient api() {
		return new ApiClient(port());
	}

	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	public ConfigurableApplicationContext context() {
		return this.context;
	}

	@Override
	public void close() {
		this.context.close();
	}

}
