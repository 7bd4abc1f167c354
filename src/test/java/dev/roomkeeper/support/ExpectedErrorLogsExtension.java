package dev.roomkeeper.support;

import java.util.LinkedHashMap;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.slf4j.LoggerFactory;

/**
 * Turns off the loggers named by {@link ExpectedErrorLogs} for a class (before all to
 * after all) or a method (before each to after each), and puts their levels back after.
 * Logback is reset when Spring Boot initialises logging as an application starts in this
 * JVM, so besides setting the levels it sets the system properties
 * {@code logging.level.<logger>=OFF}, which Spring Boot applies after that reset (and
 * clears them after).
 */
class ExpectedErrorLogsExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(ExpectedErrorLogsExtension.class);

	@Override
	public void beforeAll(ExtensionContext context) {
		AnnotationSupport.findAnnotation(context.getRequiredTestClass(), ExpectedErrorLogs.class)
			.ifPresent((expected) -> quiet(context, expected));
	}

	@Override
	public void afterAll(ExtensionContext context) {
		restore(context);
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		AnnotationSupport.findAnnotation(context.getRequiredTestMethod(), ExpectedErrorLogs.class)
			.ifPresent((expected) -> quiet(context, expected));
	}

	@Override
	public void afterEach(ExtensionContext context) {
		restore(context);
	}

	private static void quiet(ExtensionContext context, ExpectedErrorLogs expected) {
		Quiet quiet = new Quiet(expected.value());
		quiet.apply();
		loggerContext().addListener(quiet);
		context.getStore(NAMESPACE).put(Quiet.class, quiet);
	}

	private static void restore(ExtensionContext context) {
		Quiet quiet = context.getStore(NAMESPACE).remove(Quiet.class, Quiet.class);
		if (quiet != null) {
			loggerContext().removeListener(quiet);
			quiet.restore();
		}
	}

	private static LoggerContext loggerContext() {
		return (LoggerContext) LoggerFactory.getILoggerFactory();
	}

	/** The loggers turned off, their levels before, and the reset listener. */
	private static final class Quiet implements LoggerContextListener {

		private final String[] names;

		private final Map<String, Level> before = new LinkedHashMap<>();

		private final Map<String, String> propertiesBefore = new LinkedHashMap<>();

		Quiet(String[] names) {
			this.names = names;
			for (String name : names) {
				this.before.put(name, loggerContext().getLogger(name).getLevel());
				this.propertiesBefore.put(property(name), System.getProperty(property(name)));
			}
		}

		void apply() {
			for (String name : this.names) {
				loggerContext().getLogger(name).setLevel(Level.OFF);
				System.setProperty(property(name), "OFF");
			}
		}

		void restore() {
			this.before.forEach((name, level) -> loggerContext().getLogger(name).setLevel(level));
			this.propertiesBefore.forEach((property, value) -> {
				if (value == null) {
					System.clearProperty(property);
				}
				else {
					System.setProperty(property, value);
				}
			});
		}

		private static String property(String name) {
			return "logging.level." + name;
		}

		@Override
		public boolean isResetResistant() {
			return true;
		}

		@Override
		public void onStart(LoggerContext context) {
		}

		@Override
		public void onReset(LoggerContext context) {
			apply();
		}

		@Override
		public void onStop(LoggerContext context) {
		}

		@Override
		public void onLevelChange(Logger logger, Level level) {
		}

	}

}
