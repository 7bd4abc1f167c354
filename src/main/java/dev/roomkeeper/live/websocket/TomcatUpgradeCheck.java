package dev.roomkeeper.live.websocket;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.context.WebApplicationContext;

/**
 * Checks at start-up that this WebSocket layer can work, and stops start-up with a
 * message that says why when it cannot.
 * <p>
 * The layer leans on Tomcat's internal upgrade API, not on a servlet standard: an
 * {@code org.apache.coyote.http11.upgrade.InternalHttpUpgradeHandler} (implemented by
 * {@link WebSocketUpgradeHandler}) that Tomcat hands its
 * {@code org.apache.tomcat.util.net.SocketWrapperBase} and its readable/writable events,
 * and {@code SocketWrapperBase}'s non-blocking {@code read}, {@code write},
 * {@code flush}, {@code isReadyForWrite}, {@code hasDataToWrite} and {@code getSocket},
 * and {@code org.apache.tomcat.util.net.NioChannel}'s {@code write} (used by
 * {@link TomcatTransport}). Another servlet container would treat the upgrade as a plain
 * servlet upgrade, and a Tomcat whose internal API changed would fail on the first
 * connection; both are found here instead:
 * <ul>
 * <li>{@link #requireUpgradeApi} (run by {@link Initializer}, registered in
 * {@code META-INF/spring.factories}, before any bean is created): the classes and methods
 * are there, and {@link WebSocketUpgradeHandler} implements every abstract method of
 * Tomcat's interfaces;</li>
 * <li>{@link #requireTomcat} (run by {@link #servletContextCheck()} when the web server
 * starts): the servlet container is Tomcat.</li>
 * </ul>
 * A failed check throws {@link TomcatUpgradeUnavailableException}, which
 * {@link TomcatUpgradeFailureAnalyzer} reports without a stack trace.
 */
public final class TomcatUpgradeCheck {

	static final String UPGRADE_HANDLER = "org.apache.coyote.http11.upgrade.InternalHttpUpgradeHandler";

	static final String SOCKET_WRAPPER = "org.apache.tomcat.util.net.SocketWrapperBase";

	static final String NIO_CHANNEL = "org.apache.tomcat.util.net.NioChannel";

	private static final String HANDLER = "dev.roomkeeper.live.websocket.WebSocketUpgradeHandler";

	private TomcatUpgradeCheck() {
	}

	/**
	 * Checks that Tomcat's internal upgrade API, as this layer uses it, can be loaded
	 * through {@code loader}.
	 * @throws TomcatUpgradeUnavailableException naming what is missing
	 */
	public static void requireUpgradeApi(ClassLoader loader) {
		List<String> missing = new ArrayList<>();
		Class<?> upgradeHandler = load(UPGRADE_HANDLER, loader, missing);
		Class<?> socketWrapper = load(SOCKET_WRAPPER, loader, missing);
		if (socketWrapper != null) {
			method(socketWrapper, "write", missing, boolean.class, byte[].class, int.class, int.class);
			method(socketWrapper, "flush", missing, boolean.class);
			method(socketWrapper, "read", missing, boolean.class, ByteBuffer.class);
			method(socketWrapper, "isReadyForWrite", missing);
			method(socketWrapper, "close", missing);
			method(socketWrapper, "hasDataToWrite", missing);
			method(socketWrapper, "getSocket", missing);
		}
		Class<?> nioChannel = load(NIO_CHANNEL, loader, missing);
		if (nioChannel != null) {
			method(nioChannel, "getIOChannel", missing);
		}
		if (upgradeHandler != null) {
			Class<?> handler = load(HANDLER, loader, missing);
			if (handler != null) {
				for (Method required : upgradeHandler.getMethods()) {
					if (Modifier.isAbstract(required.getModifiers()) && !implemented(handler, required)) {
						missing.add(HANDLER + " does not implement " + required.getDeclaringClass().getName() + "."
								+ required.getName());
					}
				}
			}
		}
		if (!missing.isEmpty()) {
			throw new TomcatUpgradeUnavailableException(
					"Roomkeeper's WebSocket layer needs Tomcat's internal upgrade API (" + UPGRADE_HANDLER + ", "
							+ SOCKET_WRAPPER + ", " + NIO_CHANNEL + "), and it is not there as expected: "
							+ String.join("; ", missing) + ".");
		}
	}

	/**
	 * Checks that the servlet container, as its {@code ServletContext.getServerInfo()}
	 * names it, is Tomcat.
	 * @throws TomcatUpgradeUnavailableException naming the container
	 */
	public static void requireTomcat(String serverInfo) {
		if (serverInfo == null || !serverInfo.startsWith("Apache Tomcat")) {
			throw new TomcatUpgradeUnavailableException(
					"Roomkeeper's WebSocket layer runs only on Tomcat, which hands it "
							+ "the socket through its internal upgrade API; this servlet container is '" + serverInfo
							+ "'.");
		}
	}

	/** A {@link ServletContextInitializer} that runs {@link #requireTomcat}. */
	public static ServletContextInitializer servletContextCheck() {
		return (servletContext) -> requireTomcat(servletContext.getServerInfo());
	}

	private static Class<?> load(String name, ClassLoader loader, List<String> missing) {
		try {
			return Class.forName(name, false, loader);
		}
		catch (ClassNotFoundException | LinkageError ex) {
			missing.add("class " + name + " cannot be loaded (" + ex + ")");
			return null;
		}
	}

	private static void method(Class<?> type, String name, List<String> missing, Class<?>... parameters) {
		try {
			type.getMethod(name, parameters);
		}
		catch (NoSuchMethodException ex) {
			missing.add("no method " + type.getName() + "." + name + signature(parameters));
		}
	}

	private static boolean implemented(Class<?> type, Method required) {
		try {
			return !Modifier
				.isAbstract(type.getMethod(required.getName(), required.getParameterTypes()).getModifiers());
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

	private static String signature(Class<?>... parameters) {
		List<String> names = new ArrayList<>();
		for (Class<?> parameter : parameters) {
			names.add(parameter.getSimpleName());
		}
		return "(" + String.join(", ", names) + ")";
	}

	/**
	 * Runs {@link #requireUpgradeApi} when a web application context starts, before any
	 * bean is created.
	 */
	public static final class Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			if (context instanceof WebApplicationContext) {
				ClassLoader loader = (context.getClassLoader() != null) ? context.getClassLoader()
						: TomcatUpgradeCheck.class.getClassLoader();
				requireUpgradeApi(loader);
			}
		}

	}

}
