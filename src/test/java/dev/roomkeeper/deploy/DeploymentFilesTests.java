package dev.roomkeeper.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import dev.roomkeeper.room.RoomProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployment files at the repository root, read the way Docker, Compose, Fly.io and
 * Render read them (no engine runs here): ports, volume paths, health check paths, the
 * shutdown grace, and that every environment variable binds to a real property.
 */
class DeploymentFilesTests {

	/** Environment variables that are not Spring properties. */
	private static final Set<String> NOT_SPRING_PROPERTIES = Set.of("JAVA_TOOL_OPTIONS");

	/**
	 * Properties of the contract whose metadata arrives with a later feature: the Redis
	 * store brings Spring Data Redis (and {@code spring.data.redis.url}) to the
	 * classpath.
	 */
	private static final Set<String> CONTRACT_PROPERTIES = Set.of("spring.data.redis.url");

	private static final String HEALTH_PATH = "/actuator/health";

	private static final Yaml YAML = new Yaml();

	@Test
	void dockerfileBuildsInOneStageAndRunsAsUnprivilegedUserInAnother() throws IOException {
		String dockerfile = read("Dockerfile");
		List<String> stages = matches(dockerfile, "(?m)^FROM\\s+(\\S+.*)$");
		assertThat(stages).hasSize(2);
		assertThat(stages.get(0)).startsWith("maven:").endsWith("AS build");
		assertThat(stages.get(1)).contains("-jre");
		assertThat(dockerfile).contains("COPY --from=build");
		assertThat(dockerfile).contains("useradd --system --uid 10001");
		assertThat(dockerfile).containsPattern("(?m)^ENTRYPOINT \\[\"docker-entrypoint.sh\"\\]$");
		String entrypoint = read("docker-entrypoint.sh");
		assertThat(entrypoint).contains("exec setpriv --reuid=10001 --regid=10001");
		assertThat(entrypoint).contains("chown 10001:10001");
		assertThat(Files.isExecutable(Path.of("docker-entrypoint.sh"))).isTrue();
	}

	@Test
	void dockerfileKeepsRoomsOnDataVolumeAndSizesHeapFromContainer() throws IOException {
		String dockerfile = read("Dockerfile");
		assertThat(dockerfile).containsPattern("(?m)^VOLUME /data$");
		Map<String, String> env = dockerfileEnv(dockerfile);
		assertThat(env).containsEntry("ROOMS_STORE_DIR", "/data/rooms");
		assertThat(env.get("JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=75");
		assertThat(dockerfile).containsPattern("(?m)^EXPOSE 8080$");
		assertThat(dockerfile).containsPattern("(?m)^HEALTHCHECK .*CMD \\[\"docker-healthcheck.sh\"\\]$");
		assertThat(read("docker-healthcheck.sh")).contains("${PORT:-8080}").contains("GET " + HEALTH_PATH + " ");
		assertThat(roomProperties(env).getStore().getDir()).isEqualTo("/data/rooms");
	}

	@Test
	void imageRunsJava25WithAotCacheThatTheBenchmarkRecordsTheSameWay() throws IOException {
		String dockerfile = read("Dockerfile");
		assertThat(ImagePrograms.of(dockerfile).baseImage()).isEqualTo("eclipse-temurin:25-jre");
		String training = "aot-training.sh /app/application.jar /app/roomkeeper.aot";
		assertThat(dockerfile).containsPattern("(?m)^RUN " + Pattern.quote(training) + "$")
			.containsPattern("(?m)^CMD \\[\"java\", \"-XX:TieredStopAtLevel=1\", \"-XX:CICompilerCount=2\", "
					+ "\"-XX:AOTCache=/app/roomkeeper.aot\", \"-jar\", " + "\"/app/application.jar\"\\]$");
		assertThat(dockerfile.indexOf("RUN " + training)).as("trained after the JVM options are set")
			.isGreaterThan(dockerfile.indexOf("ENV JAVA_TOOL_OPTIONS"));
		assertThat(read("bench/coldstart.sh"))
			.contains("./aot-training.sh \"$APP/application.jar\" \"$APP/roomkeeper.aot\"")
			.as("the benchmark launches the cache as the image does")
			.contains("-XX:TieredStopAtLevel=1 -XX:CICompilerCount=2 -XX:AOTCache=$APP/roomkeeper.aot");
		assertThat(Files.isExecutable(Path.of("aot-training.sh"))).isTrue();
		assertThat(ImagePrograms.of(dockerfile)
			.missing(List.of(ImagePrograms.interpreter(read("aot-training.sh")), "java", "mktemp", "rm", "wc")))
			.isEmpty();
	}

	@Test
	void healthChecksCallOnlyProgramsTheImageProvides() throws IOException {
		String dockerfile = read("Dockerfile");
		ImagePrograms image = ImagePrograms.of(dockerfile);
		assertThat(ImagePrograms.BASE_IMAGE_PROGRAMS).as("programs known for the base image %s", image.baseImage())
			.containsKey(image.baseImage());
		List<String> called = new ArrayList<>(ImagePrograms.calledByDockerfileHealthCheck(dockerfile));
		Map<String, Object> compose = YAML.load(read("docker-compose.yml"));
		called.addAll(ImagePrograms
			.calledByComposeHealthCheck(map(map(map(compose, "services"), "roomkeeper"), "healthcheck").get("test")));
		assertThat(called).isNotEmpty();
		for (String program : List.copyOf(called)) {
			if (image.copiedToPath().contains(program)) {
				assertThat(Files.isExecutable(Path.of(program))).as(program).isTrue();
				called.add(ImagePrograms.interpreter(read(program)));
			}
		}
		assertThat(image.missing(called)).as("programs the health checks call that the image does not have").isEmpty();
	}

	@Test
	void healthCheckCallingCurlOnTemurinJreIsCaughtUnlessInstalled() {
		String check = "HEALTHCHECK --interval=15s --timeout=5s CMD curl -fsS \"http://127.0.0.1:${PORT:-8080}"
				+ HEALTH_PATH + "\" > /dev/null || exit 1\n";
		String withoutCurl = "FROM maven:3.9 AS build\nRUN apt-get install -y curl\nFROM eclipse-temurin:25-jre\n"
				+ check;
		assertThat(ImagePrograms.of(withoutCurl).missing(ImagePrograms.calledByDockerfileHealthCheck(withoutCurl)))
			.containsExactly("curl");
		String withCurl = "FROM eclipse-temurin:25-jre\nRUN apt-get update \\\n\t&& apt-get install -y --no-install-recommends curl"
				+ " \\\n\t&& rm -rf /var/lib/apt/lists/*\n" + check;
		assertThat(ImagePrograms.of(withCurl).missing(ImagePrograms.calledByDockerfileHealthCheck(withCurl))).isEmpty();
		assertThat(ImagePrograms.of(withoutCurl)
			.missing(ImagePrograms.calledByComposeHealthCheck(List.of("CMD-SHELL", "wget -qO- http://127.0.0.1:8080"))))
			.containsExactly("wget");
		assertThat(ImagePrograms.of("FROM alpine:3\n").missing(List.of("sh"))).containsExactly("sh");
	}

	@Test
	void composeRunsAppOnRedisWithAppendOnlyRedisAndHealthChecks() throws IOException {
		Map<String, Object> compose = YAML.load(read("docker-compose.yml"));
		Map<String, Object> services = map(compose, "services");
		Map<String, Object> app = map(services, "roomkeeper");
		Map<String, Object> redis = map(services, "redis");

		assertThat(app.get("build")).isEqualTo(".");
		assertThat(strings(app.get("ports"))).containsExactly("8080:8080");
		Map<String, String> env = composeInterpolated(map(app, "environment"));
		assertThat(env).containsEntry("ROOMS_STORE_TYPE", "redis");
		assertThat(env.get("SPRING_DATA_REDIS_URL")).isEqualTo("redis://redis:6379");
		assertThat(map(map(app, "depends_on"), "redis")).containsEntry("condition", "service_healthy");
		assertThat(strings(map(app, "healthcheck").get("test"))).containsExactly("CMD", "docker-healthcheck.sh");
		assertThat(env).doesNotContainKey("PORT");
		assertThat(graceOf(app.get("stop_grace_period").toString())).isGreaterThan(shutdownPhaseTimeout());

		assertThat(strings(redis.get("command"))).containsSubsequence("--appendonly", "yes");
		assertThat(strings(map(redis, "healthcheck").get("test"))).contains("redis-cli", "ping");
		assertThat(strings(redis.get("volumes"))).containsExactly("redis-data:/data");
		assertThat(map(compose, "volumes")).containsKey("redis-data");

		assertThat(env).containsEntry("ROOMS_ADMIN_TOKEN", "");
		Map<String, String> bound = new LinkedHashMap<>(env);
		bound.put("ROOMS_ADMIN_TOKEN", "compose-admin-token");
		RoomProperties properties = roomProperties(bound);
		assertThat(properties.getStore().getType()).isEqualTo("redis");
		assertThat(properties.getAdminToken()).isEqualTo("compose-admin-token");
		assertThat(properties.getPublicUrl()).isEqualTo("http://localhost:8080");
		assertThat(environment(bound).getProperty("spring.data.redis.url")).isEqualTo("redis://redis:6379");
	}

	@Test
	void flyKeepsOneAlwaysRunningMachineWithFileStoreOnVolume() throws IOException {
		Map<String, Object> fly = SimpleToml.parse(read("fly.toml"));
		Map<String, String> env = stringMap(map(fly, "env"));
		List<Map<String, Object>> mounts = list(fly, "mounts");
		assertThat(mounts).hasSize(1);
		assertThat(mounts.get(0)).containsEntry("destination", "/data");
		assertThat(env).containsEntry("ROOMS_STORE_TYPE", "file");
		assertThat(env.get("ROOMS_STORE_DIR")).startsWith("/data/");

		Map<String, Object> http = map(fly, "http_service");
		assertThat(http).containsEntry("internal_port", 8080L);
		assertThat(http.get("auto_stop_machines")).isIn("off", false);
		assertThat(http).containsEntry("min_machines_running", 1L);
		assertThat(http).containsEntry("max_machines_running", 1L);
		List<Map<String, Object>> checks = list(http, "checks");
		assertThat(checks).extracting((check) -> check.get("path")).containsExactly(HEALTH_PATH);

		assertThat(fly).containsEntry("kill_signal", "SIGTERM");
		assertThat(Duration.ofSeconds((Long) fly.get("kill_timeout"))).isGreaterThan(shutdownPhaseTimeout());
		assertThat(read("fly.toml")).contains("scale out").contains("ROOMS_STORE_TYPE = \"redis\"");

		RoomProperties properties = roomProperties(env);
		assertThat(properties.getStore().getType()).isEqualTo("file");
		assertThat(properties.getStore().getDir()).isEqualTo("/data/rooms");
	}

	@Test
	void renderRunsDockerWebServiceOnKeyValueWithHealthCheck() throws IOException {
		Map<String, Object> render = YAML.load(read("render.yaml"));
		List<Map<String, Object>> services = list(render, "services");
		Map<String, Object> web = services.stream()
			.filter((s) -> "web".equals(s.get("type")))
			.findFirst()
			.orElseThrow();
		Map<String, Object> keyValue = services.stream()
			.filter((s) -> "keyvalue".equals(s.get("type")))
			.findFirst()
			.orElseThrow();
		assertThat(web).containsEntry("runtime", "docker").containsEntry("healthCheckPath", HEALTH_PATH);
		assertThat(Duration.ofSeconds(((Number) web.get("maxShutdownDelaySeconds")).longValue()))
			.isGreaterThan(shutdownPhaseTimeout());
		assertThat(keyValue).containsEntry("maxmemoryPolicy", "noeviction");

		Map<String, Object> envVars = new LinkedHashMap<>();
		for (Map<String, Object> envVar : list(web, "envVars")) {
			envVars.put((String) envVar.get("key"), envVar);
		}
		assertThat(map(envVars, "ROOMS_STORE_TYPE")).containsEntry("value", "redis");
		Map<String, Object> redisUrl = map(map(envVars, "SPRING_DATA_REDIS_URL"), "fromService");
		assertThat(redisUrl).containsEntry("type", "keyvalue")
			.containsEntry("name", keyValue.get("name"))
			.containsEntry("property", "connectionString");
		assertThat(map(envVars, "ROOMS_ADMIN_TOKEN")).containsEntry("generateValue", true);
	}

	@Test
	void serverListensOnPortVariableThatRenderSets() throws IOException {
		assertThat(applicationProperties().getProperty("server.port")).isEqualTo("${PORT:8080}");
	}

	@Test
	void onlyHealthAndPrometheusAreExposed() throws IOException {
		assertThat(applicationProperties().getProperty("management.endpoints.web.exposure.include"))
			.isEqualTo("health,prometheus");
	}

	@Test
	void everyEnvironmentVariableOfDeploymentFilesBindsToKnownProperty() throws IOException {
		Set<String> variables = new HashSet<>();
		variables.addAll(dockerfileEnv(read("Dockerfile")).keySet());
		Map<String, Object> compose = YAML.load(read("docker-compose.yml"));
		variables.addAll(map(map(map(compose, "services"), "roomkeeper"), "environment").keySet());
		variables.addAll(map(SimpleToml.parse(read("fly.toml")), "env").keySet());
		Map<String, Object> render = YAML.load(read("render.yaml"));
		for (Map<String, Object> service : list(render, "services")) {
			if (service.containsKey("envVars")) {
				list(service, "envVars").forEach((envVar) -> variables.add((String) envVar.get("key")));
			}
		}
		variables.removeAll(NOT_SPRING_PROPERTIES);

		// Spring Boot binds ROOMS_STORE_FLUSHINTERVAL and (legacy form)
		// ROOMS_STORE_FLUSH_INTERVAL.
		Set<String> bindingNames = new HashSet<>();
		for (String property : knownProperties()) {
			String upper = property.replace('.', '_').toUpperCase(Locale.ROOT);
			bindingNames.add(upper.replace("-", ""));
			bindingNames.add(upper.replace('-', '_'));
		}
		assertThat(variables).isNotEmpty()
			.allSatisfy((variable) -> assertThat(bindingNames.contains(variable))
				.as("environment variable %s binds to a documented property", variable)
				.isTrue());
	}

	private static Set<String> knownProperties() throws IOException {
		Set<String> properties = new HashSet<>(CONTRACT_PROPERTIES);
		JsonMapper json = JsonMapper.builder().build();
		Resource[] resources = new PathMatchingResourcePatternResolver()
			.getResources("classpath*:META-INF/spring-configuration-metadata.json");
		for (Resource resource : resources) {
			try (InputStream in = resource.getInputStream()) {
				JsonNode metadata = json.readTree(in);
				for (JsonNode property : metadata.path("properties")) {
					properties.add(property.get("name").asString());
				}
			}
		}
		assertThat(properties).contains("rooms.store.dir", "logging.structured.format.console");
		return properties;
	}

	private static RoomProperties roomProperties(Map<String, String> variables) {
		return Binder.get(environment(variables)).bindOrCreate("rooms", RoomProperties.class);
	}

	/**
	 * An environment holding only these variables, bound the way Spring Boot binds them.
	 */
	private static StandardEnvironment environment(Map<String, String> variables) {
		StandardEnvironment environment = new StandardEnvironment();
		MutablePropertySources sources = environment.getPropertySources();
		sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
		sources.addFirst(new SystemEnvironmentPropertySource(
				StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new LinkedHashMap<>(variables)));
		ConfigurationPropertySources.attach(environment);
		return environment;
	}

	private static Duration shutdownPhaseTimeout() throws IOException {
		return DurationStyle
			.detectAndParse(applicationProperties().getProperty("spring.lifecycle.timeout-per-shutdown-phase"));
	}

	private static Duration graceOf(String value) {
		return DurationStyle.detectAndParse(value);
	}

	private static Properties applicationProperties() throws IOException {
		Properties properties = new Properties();
		try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
			properties.load(in);
		}
		return properties;
	}

	/**
	 * The {@code ENV} instructions of a Dockerfile (key=value form, with continuations).
	 */
	private static Map<String, String> dockerfileEnv(String dockerfile) {
		Map<String, String> env = new LinkedHashMap<>();
		String joined = dockerfile.replaceAll("\\\\\\n\\s*", " ");
		for (String instruction : matches(joined, "(?m)^ENV\\s+(.+)$")) {
			Matcher pair = Pattern.compile("([A-Z_][A-Z0-9_]*)=(\"[^\"]*\"|\\S+)").matcher(instruction);
			while (pair.find()) {
				env.put(pair.group(1), pair.group(2).replaceAll("^\"|\"$", ""));
			}
		}
		return env;
	}

	private static List<String> matches(String text, String regex) {
		List<String> found = new ArrayList<>();
		Matcher matcher = Pattern.compile(regex).matcher(text);
		while (matcher.find()) {
			found.add(matcher.group(1).trim());
		}
		return found;
	}

	private static String read(String file) throws IOException {
		return Files.readString(Path.of(file), StandardCharsets.UTF_8);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Map<String, Object> parent, String key) {
		Object value = parent.get(key);
		assertThat(value).as(key).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
		Object value = parent.get(key);
		assertThat(value).as(key).isInstanceOf(List.class);
		return (List<Map<String, Object>>) value;
	}

	private static List<String> strings(Object value) {
		assertThat(value).isInstanceOf(List.class);
		return ((List<?>) value).stream().map(String::valueOf).toList();
	}

	/**
	 * The values Compose passes when none of the referenced variables is set:
	 * {@code ${NAME:-default}} becomes {@code default}.
	 */
	private static Map<String, String> composeInterpolated(Map<String, Object> environment) {
		Map<String, String> values = new LinkedHashMap<>();
		environment.forEach(
				(key, value) -> values.put(key, String.valueOf(value).replaceAll("\\$\\{[A-Z0-9_]+:-([^}]*)}", "$1")));
		return values;
	}

	private static Map<String, String> stringMap(Map<String, Object> map) {
		Map<String, String> strings = new LinkedHashMap<>();
		map.forEach((key, value) -> strings.put(key, String.valueOf(value)));
		return strings;
	}

}
