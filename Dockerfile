# Roomkeeper container image: built with Maven, run on a Java 25 JRE as an unprivileged user, with a
# JDK AOT cache recorded at build time by a training run (docs/cold-start.md).
#   docker build -t roomkeeper .
#   docker run -p 8080:8080 -v roomkeeper-data:/data roomkeeper
# Rooms are kept as JSON files in /data/rooms (mount a volume there), or in Redis with
# ROOMS_STORE_TYPE=redis and SPRING_DATA_REDIS_URL (see docker-compose.yml).

# --- build stage: compile and package, then split the jar into layers -----------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml .
COPY .mvn .mvn
# Dependencies first, so a change to the sources reuses this layer.
RUN mvn -q dependency:go-offline
COPY src src
RUN mvn -q -DskipTests package \
	&& cp target/roomkeeper-*.jar application.jar \
	&& java -Djarmode=tools -jar application.jar extract --layers --destination extracted

# --- runtime stage ----------------------------------------------------------------------------
# The AOT cache below is only used by the JVM that recorded it: keep the training run in this stage.
FROM eclipse-temurin:25-jre
RUN groupadd --system --gid 10001 roomkeeper \
	&& useradd --system --uid 10001 --gid roomkeeper --home-dir /app --shell /usr/sbin/nologin roomkeeper \
	&& mkdir -p /data/rooms \
	&& chown -R roomkeeper:roomkeeper /data
WORKDIR /app
# Layers from least to most often changed.
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./
COPY docker-entrypoint.sh docker-healthcheck.sh aot-training.sh /usr/local/bin/
RUN chmod 755 /usr/local/bin/docker-entrypoint.sh /usr/local/bin/docker-healthcheck.sh /usr/local/bin/aot-training.sh

# The JVM sizes its heap from the container's memory limit (container support is on by
# default); it exits on OutOfMemoryError so the platform restarts it instead of limping on.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=25 -XX:+ExitOnOutOfMemoryError" \
	ROOMS_STORE_DIR=/data/rooms \
	LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs

# The training run: the server drives its own API on a free port with a throwaway store, and the JVM
# writes /app/roomkeeper.aot (classes loaded and linked, method profiles) when it exits; the same
# command as bench/coldstart.sh runs. A start without the cache, or with a stale one, logs an [aot]
# error and carries on without it.
RUN aot-training.sh /app/application.jar /app/roomkeeper.aot

VOLUME /data
EXPOSE 8080
# Render and others set PORT; the check asks ${PORT:-8080}/actuator/health with bash built-ins alone
# (the JRE image has no curl or wget).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["docker-healthcheck.sh"]
# SIGTERM starts Spring Boot's graceful shutdown: stop accepting, drain, flush the store.
STOPSIGNAL SIGTERM
ENTRYPOINT ["docker-entrypoint.sh"]
# C1 only (-XX:TieredStopAtLevel=1): the first answer in ~1.5 s instead of ~2.2 s and the warm rate
# sooner, for a server that free tiers stop when idle; an always-busy server can get C2 back with
# the same command without that option (docs/cold-start.md). Up to two C1 threads
# (-XX:CICompilerCount=2; the JVM's choice for C1 alone is one): under load the compile queue then
# drains in seconds instead of ten or more, while request threads share the core with it.
CMD ["java", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=2", "-XX:AOTCache=/app/roomkeeper.aot", "-jar", "/app/application.jar"]
