package dev.roomkeeper.pages;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Type-checks {@code src/test/ts/example.ts} (an app using the client with a join ticket,
 * plus {@code @ts-expect-error} lines the declarations must refuse) against
 * {@code static/js/roomkeeper.d.ts} with the TypeScript compiler pinned in
 * {@code src/test/ts/package-lock.json} ({@code npm ci} on first run; needs Node.js).
 */
class TypeScriptDeclarationsTests {

	private static final Path DIR = Path.of("src/test/ts");

	@Test
	void exampleTypeChecksAgainstTheDeclarations() throws Exception {
		if (!Files.exists(DIR.resolve("node_modules/typescript/bin/tsc"))) {
			run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
		}
		Result tsc = run(List.of("node", "node_modules/typescript/bin/tsc", "-p", "."), 120);
		assertThat(tsc.exit()).as(tsc.output()).isZero();
	}

	@Test
	void declarationsAreServedBesideTheModule() {
		assertThat(Path.of("src/main/resources/static/js/roomkeeper.d.ts")).exists();
		assertThat(Path.of("src/main/resources/static/js/roomkeeper.js")).exists();
	}

	private record Result(int exit, String output) {
	}

	private static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
		boolean done = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!done) {
			process.destroyForcibly();
			throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s:\n" + output);
		}
		assertThat(process.exitValue()).as(command + "\n" + output).isNotNegative();
		return new Result(process.exitValue(), output);
	}

}
