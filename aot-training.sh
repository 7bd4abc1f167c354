#!/bin/sh
# Records Roomkeeper's JDK AOT cache (JDK 25 or later) from a training run, then checks that the JVM
# can use it. Run by the Dockerfile at image build time and by bench/coldstart.sh, with the same
# arguments: what the image does is what the benchmark measures.
#
#   aot-training.sh JAR CACHE
#
# JAR is the application jar of an extracted Spring Boot jar (java -Djarmode=tools -jar ... extract):
# the cache holds classes from the jar and from lib/ beside it, and the JVM uses it only with that
# same class path, the same jars (size and time) and the same JDK. First a run that is not recorded
# fills a file store in a temporary directory with 1,000 rooms (rooms.training-run.seed-rooms), so
# that the recorded run trains the start-up load of a store too. The recorded run starts on that
# store on a free port with rooms.training-run.enabled=true: it drives its own REST and STOMP API for
# rooms.training-run.duration (create, join, connect, broadcast, state, settings, leave, close),
# stops and exits, and the JVM writes CACHE (JEP 483/514/515: classes loaded and linked, and method
# profiles). The java on PATH is used, or $JAVA.
set -eu
jar=$1
cache=$2
java=${JAVA:-java}
store=$(mktemp -d)
trap 'rm -rf "$store"' EXIT

"$java" -jar "$jar" --rooms.training-run.enabled=true --rooms.training-run.seed-rooms=1000 \
	--rooms.training-run.duration=0s --server.port=0 --rooms.store.dir="$store/training" \
	--logging.level.root=WARN --logging.level.dev.roomkeeper.coldstart=INFO
# The training run asks for far more QR codes a minute than one visitor may (the limit's
# check still runs, and is trained): on a fast machine the default limit would fail it.
"$java" -XX:AOTCacheOutput="$cache" -jar "$jar" --rooms.training-run.enabled=true \
	--server.port=0 --rooms.store.dir="$store/training" --logging.level.root=WARN \
	--logging.level.dev.roomkeeper.coldstart=INFO --rooms.limits.qr-per-minute=1000000
# AOTMode=on refuses to start when the cache cannot be used, so a cache that the JVM would
# ignore fails the build here instead of slowing every start in production.
"$java" -XX:AOTCache="$cache" -XX:AOTMode=on -Dspring.context.exit=onRefresh -jar "$jar" \
	--server.port=0 --rooms.store.dir="$store/check" --logging.level.root=WARN
echo "aot-training: $cache is ready ($(wc -c < "$cache") bytes)"
