package dev.roomkeeper.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test (or every test of the class) provokes a failure on purpose, and these loggers
 * then write errors the test expects: they are turned off while it runs, so a passing
 * build log shows no alarming lines, and any such line that still appears comes from a
 * test that did not expect it. Levels come back afterwards. Tests assert on what a user
 * sees (status codes, exceptions, health), never on these log lines.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(ExpectedErrorLogsExtension.class)
public @interface ExpectedErrorLogs {

	/** The loggers (names, or prefixes such as {@code io.lettuce.core}) to turn off. */
	String[] value();

	/** What the test provokes, for the reader. */
	String because();

}
