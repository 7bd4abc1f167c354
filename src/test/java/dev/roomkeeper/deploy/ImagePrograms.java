package dev.roomkeeper.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.json.JsonMapper;

/**
 * The programs a container of the repository's image can run, worked out from its
 * Dockerfile the way the image gets them: those of the runtime stage's base image (a
 * known list per base image; an unknown base image provides nothing, so a new one must be
 * added here deliberately), the files the stage copies into {@code /usr/local/bin}, and
 * the packages it installs with {@code apt-get install} (taken to provide a program of
 * their name). Health checks are read as Docker and Compose run them: the exec form runs
 * its first word, the shell form runs every command of the line through {@code sh}.
 */
final class ImagePrograms {

	/**
	 * Eclipse Temurin JRE images on Ubuntu: Ubuntu's base system and the JRE's launchers.
	 * No curl, wget or nc: Adoptium dropped curl from the JRE images, and Ubuntu's base
	 * image has no HTTP client.
	 */
	private static final Set<String> TEMURIN_UBUNTU_JRE = Set.of("sh", "dash", "bash", "java", "keytool", "jfr", "cat",
			"echo", "ls", "id", "mkdir", "mktemp", "rm", "rmdir", "chmod", "chown", "cp", "mv", "ln", "touch", "wc",
			"sleep", "timeout", "env", "head", "tail", "tr", "cut", "sort", "date", "test", "[", "grep", "sed", "find",
			"xargs", "setpriv", "useradd", "groupadd", "apt-get", "dpkg", "tar", "gzip");

	static final Map<String, Set<String>> BASE_IMAGE_PROGRAMS = Map.of("eclipse-temurin:25-jre", TEMURIN_UBUNTU_JRE);

	/** Built into every POSIX shell, so available wherever {@code sh} is. */
	private static final Set<String> SHELL_BUILTINS = Set.of("exit", "exec", "true", "false", "test", "[", "echo",
			"printf", "read", "cd", ":", "set", "export", "command");

	private static final Pattern COMMAND_SEPARATOR = Pattern.compile("\\|\\||&&|[|;\\n]");

	private final String baseImage;

	private final Set<String> provided = new LinkedHashSet<>();

	private final Set<String> copiedToPath = new LinkedHashSet<>();

	private ImagePrograms(String baseImage) {
		this.baseImage = baseImage;
	}

	/** The programs of the last stage of this Dockerfile. */
	static ImagePrograms of(String dockerfile) {
		String joined = dockerfile.replaceAll("\\\\\\n\\s*", " ");
		int lastFrom = joined.lastIndexOf("\nFROM ");
		String stage = joined.substring(lastFrom + 1);
		Matcher from = Pattern.compile("^FROM\\s+(\\S+)").matcher(stage);
		if (!from.find()) {
			throw new IllegalArgumentException("No FROM in the Dockerfile");
		}
		ImagePrograms programs = new ImagePrograms(from.group(1));
		programs.provided.addAll(BASE_IMAGE_PROGRAMS.getOrDefault(programs.baseImage, Set.of()));
		Matcher copy = Pattern.compile("(?m)^COPY\\s+(?:--\\S+\\s+)*(.+)\\s+/usr/local/bin/(\\S*)\\s*$").matcher(stage);
		while (copy.find()) {
			if (copy.group(2).isEmpty()) {
				for (String source : copy.group(1).trim().split("\\s+")) {
					programs.copiedToPath.add(source.substring(source.lastIndexOf('/') + 1));
				}
			}
			else {
				programs.copiedToPath.add(copy.group(2));
			}
		}
		programs.provided.addAll(programs.copiedToPath);
		Matcher install = Pattern.compile("apt-get\\s+install((?:\\s+[^&|;\\s]+)+)").matcher(stage);
		while (install.find()) {
			for (String word : install.group(1).trim().split("\\s+")) {
				if (!word.startsWith("-")) {
					programs.provided.add(word);
				}
			}
		}
		return programs;
	}

	String baseImage() {
		return this.baseImage;
	}

	/** The files copied into {@code /usr/local/bin}, by name. */
	Set<String> copiedToPath() {
		return this.copiedToPath;
	}

	/** The programs of {@code called} that this image does not have. */
	List<String> missing(List<String> called) {
		List<String> missing = new ArrayList<>();
		for (String program : called) {
			boolean builtin = SHELL_BUILTINS.contains(program) && this.provided.contains("sh");
			if (!builtin && !this.provided.contains(program)) {
				missing.add(program);
			}
		}
		return missing;
	}

	/** The programs the Dockerfile's {@code HEALTHCHECK} runs. */
	static List<String> calledByDockerfileHealthCheck(String dockerfile) {
		String joined = dockerfile.replaceAll("\\\\\\n\\s*", " ");
		Matcher check = Pattern.compile("(?m)^HEALTHCHECK\\s+(?:--\\S+\\s+)*CMD\\s+(.+)$").matcher(joined);
		if (!check.find()) {
			return List.of();
		}
		String command = check.group(1).trim();
		if (command.startsWith("[")) {
			List<?> words = JsonMapper.builder().build().readValue(command, List.class);
			return execForm(words.stream().map(String::valueOf).toList());
		}
		return shellForm(command);
	}

	/** The programs a Compose {@code healthcheck.test} runs. */
	static List<String> calledByComposeHealthCheck(Object test) {
		if (test instanceof String command) {
			return shellForm(command);
		}
		List<String> words = ((List<?>) test).stream().map(String::valueOf).toList();
		return switch (words.get(0)) {
			case "CMD" -> execForm(words.subList(1, words.size()));
			case "CMD-SHELL" -> shellForm(String.join(" ", words.subList(1, words.size())));
			case "NONE" -> List.of();
			default -> throw new IllegalArgumentException("Unknown health check form " + words);
		};
	}

	/** The first word of a command run without a shell (a shell's own commands too). */
	private static List<String> execForm(List<String> words) {
		List<String> programs = new ArrayList<>();
		programs.add(name(words.get(0)));
		if (Set.of("sh", "bash", "dash").contains(name(words.get(0))) && words.size() > 2
				&& words.get(1).equals("-c")) {
			programs.addAll(shellForm(words.get(2)));
		}
		return programs;
	}

	/** The first word of every command of a shell line, run by {@code sh -c}. */
	static List<String> shellForm(String line) {
		List<String> programs = new ArrayList<>();
		programs.add("sh");
		for (String command : COMMAND_SEPARATOR.split(line)) {
			for (String word : command.trim().split("\\s+")) {
				if (word.isEmpty() || word.equals("!") || word.matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
					continue;
				}
				programs.add(name(word.replaceAll("^[\"']|[\"']$", "")));
				break;
			}
		}
		return programs;
	}

	/** The interpreter a script's {@code #!} line names, by name. */
	static String interpreter(String script) {
		Matcher shebang = Pattern.compile("\\A#!\\s*(\\S+)(?:\\s+(\\S+))?").matcher(script);
		if (!shebang.find()) {
			throw new IllegalArgumentException("No #! line");
		}
		String program = name(shebang.group(1));
		return (program.equals("env") && shebang.group(2) != null) ? shebang.group(2) : program;
	}

	private static String name(String path) {
		return path.substring(path.lastIndexOf('/') + 1);
	}

}
