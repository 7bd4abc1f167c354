package dev.roomkeeper;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

/**
 * Makes a SIGTERM end the JVM with exit status 0 instead of 143, for
 * {@code mvn spring-boot:run} only.
 * <p>
 * The Spring Boot Maven plugin's {@code run} goal forks the application and fails the
 * build ({@code BUILD FAILURE ... Process terminated with exit code: 143}) when the fork
 * exits with any status but 0 or 130 (SIGINT), so stopping a development server with
 * SIGTERM looked like an error. The {@code run} goal's configuration in {@code pom.xml}
 * sets the system property {@value #PROPERTY} to {@code true}; then SIGTERM calls
 * {@code System.exit(0)}, which runs the same shutdown hooks (the graceful shutdown of
 * the server and the store) as the JVM's own SIGTERM handling. Without the property (the
 * packaged jar, the container image) nothing changes: SIGTERM ends the JVM with 143, as
 * platforms expect.
 * <p>
 * {@code sun.misc.Signal} (module {@code jdk.unsupported}) is reached by reflection, so
 * that the build prints no "internal proprietary API" warnings; when it is missing, the
 * property has no effect.
 */
final class SigtermExit {

	/** The system property that switches this on. */
	static final String PROPERTY = "roomkeeper.sigterm-exit-zero";

	private SigtermExit() {
	}

	/**
	 * Installs the SIGTERM handler when {@value #PROPERTY} is {@code true}.
	 * @return whether it was installed
	 */
	static boolean installIfRequested() {
		if (!Boolean.getBoolean(PROPERTY)) {
			return false;
		}
		try {
			Class<?> signalClass = Class.forName("sun.misc.Signal");
			Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
			InvocationHandler exitZero = (proxy, method, arguments) -> switch (method.getName()) {
				case "handle" -> {
					System.exit(0);
					yield null;
				}
				case "hashCode" -> System.identityHashCode(proxy);
				case "equals" -> proxy == arguments[0];
				default -> "SigtermExit";
			};
			Object handler = Proxy.newProxyInstance(SigtermExit.class.getClassLoader(), new Class<?>[] { handlerClass },
					exitZero);
			Object term = signalClass.getConstructor(String.class).newInstance("TERM");
			signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, term, handler);
			return true;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return false;
		}
	}

}
