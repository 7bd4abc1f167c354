#!/usr/bin/env bash
# Cold-start benchmark: time from launch to the first HTTP answer, then REST state writes/s and
# STOMP fan-out (deliveries/s) in each of the first seconds, for three launches of the packaged server:
#   17       java -jar target/roomkeeper-*.jar on Java 17 (BENCH_JAVA17, default: java on PATH)
#   25       java -jar application.jar, extracted, on Java 25 (BENCH_JAVA25, default: Temurin 25)
#   25+aot   the same as the image launches it: C1 only (-XX:TieredStopAtLevel=1; add
#            BENCH_JAVA_OPTS=-XX:TieredStopAtLevel=4 for C2), up to two compiler threads
#            (-XX:CICompilerCount=2), with -XX:AOTCache=roomkeeper.aot, recorded
#            by ./aot-training.sh exactly as the Dockerfile records it (re-recorded when the jar is
#            newer than the cache)
# Usage: bench/coldstart.sh [rooms in the store] [launches] [seconds of load]
#   rooms     rooms already in the file store at launch (0: an empty directory); created once
#             over REST and reused (copied for each launch)
#   launches  launches of each kind that only measure the first answer (default 5), then one
#             launch of each kind with the load
#   seconds   seconds of load after the first answer (default 30; 0: first answers only)
# The first-answer launches are not pinned; with load the server is pinned to CPU 0 and the load
# generator to CPU 1 (as bench/live.sh). Generator options go in BENCH_OPTS (see ColdStartBenchmark);
# BENCH_KINDS picks the launches (e.g. BENCH_KINDS=25+aot); BENCH_JAVA_OPTS adds JVM options to the
# Java 25 launches (e.g. BENCH_JAVA_OPTS=-XX:TieredStopAtLevel=1), not to the training run.
# BENCH_STEPS=1 also prints where Spring's start-up time goes (StartupSteps, Java 17).
# Needs: Linux, taskset (util-linux), ss (iproute2), 2+ cores, JDK 25 for the cache.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOMS=${1:-0}; LAUNCHES=${2:-5}; LOAD_SECONDS=${3:-30}
JAVA17=${BENCH_JAVA17:-java}
JAVA25=${BENCH_JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
KINDS=${BENCH_KINDS:-17 25 25+aot}
# shellcheck source=bench/common.sh
source "bench/common.sh"
ls target/roomkeeper-*.jar >/dev/null 2>&1 || mvn -q -DskipTests package
mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
JAR=$(ls target/roomkeeper-*.jar | grep -v original | head -1)
CLASSPATH_BENCH="target/test-classes:target/classes:$(cat target/bench.classpath)"
WORK=$(mktemp -d)
SERVER=
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# The extracted jar and its AOT cache, as in the image: application.jar with lib/ beside it.
APP=target/coldstart/app
if [ ! -f "$APP/roomkeeper.aot" ] || [ "$JAR" -nt "$APP/roomkeeper.aot" ]; then
  rm -rf "$APP"; mkdir -p "$APP"
  cp "$JAR" "$WORK/application.jar"
  "$JAVA25" -Djarmode=tools -jar "$WORK/application.jar" extract --destination "$APP"
  echo "training run (load: $(uptime | sed 's/.*load/load/'))"
  started=$(date +%s)
  JAVA="$JAVA25" ./aot-training.sh "$APP/application.jar" "$APP/roomkeeper.aot" > "$WORK/training.log" 2>&1 ||
    { grep -v "\[aot\]" "$WORK/training.log" | tail -30 >&2; exit 1; }
  grep -h "training-run-done\|aot-training:" "$WORK/training.log" | sed 's/.*event=/  /'
  echo "  training and check took $(( $(date +%s) - started )) s"
fi

SERVER_ARGS=(--rooms.limits.messages-per-second=100000 --rooms.limits.connections-per-address=100000
  --rooms.limits.failed-joins-per-minute=100000 --rooms.max-rooms=1000000 --logging.level.root=WARN
  --logging.level.dev.roomkeeper.RoomkeeperApplication=INFO --logging.level.dev.roomkeeper.store=INFO)
command_of() {
  case "$1" in
    17) echo "$JAVA17 -jar $JAR" ;;
    25) echo "$JAVA25 ${BENCH_JAVA_OPTS:-} -jar $APP/application.jar" ;;
    25+aot) echo "$JAVA25 -XX:TieredStopAtLevel=1 -XX:CICompilerCount=2 -XX:AOTCache=$APP/roomkeeper.aot ${BENCH_JAVA_OPTS:-} -jar $APP/application.jar" ;;
  esac
}

# A store of $ROOMS rooms (one member each), made once over REST by a server on Java 17, stopped
# cleanly, and kept in target/coldstart/store-$ROOMS for the next runs.
TEMPLATE=target/coldstart/store-$ROOMS
if [ ! -d "$TEMPLATE" ]; then
  mkdir -p "$WORK/populate"
  if [ "$ROOMS" -gt 0 ]; then
    PORT=$(free_port)
    $JAVA17 -jar "$JAR" --server.port="$PORT" --rooms.store.dir="$WORK/populate" "${SERVER_ARGS[@]}" > "$WORK/populate.log" 2>&1 &
    SERVER=$!
    java -cp "$CLASSPATH_BENCH" -Dbench.url="http://127.0.0.1:$PORT" -Dbench.populate="$ROOMS" dev.roomkeeper.bench.ColdStartBenchmark
    kill "$SERVER"; wait "$SERVER" || true; SERVER=
  fi
  mv "$WORK/populate" "$TEMPLATE"
fi
echo "store: $(find "$TEMPLATE" -name '*.json' | wc -l) room files, $(du -sh "$TEMPLATE" | cut -f1)"

# One launch: the generator polls first, then the server starts; prints the generator's report
# and the server's CPU seconds at the end.
launch() {
  local kind=$1 seconds=$2 pin_server=$3 pin_generator=$4
  local port data
  port=$(free_port); data=$WORK/run-$RANDOM
  mkdir -p "$data"; cp -r "$TEMPLATE" "$data/rooms"
  # shellcheck disable=SC2086
  $pin_generator java -cp "$CLASSPATH_BENCH" -Dbench.url="http://127.0.0.1:$port" -Dbench.seconds="$seconds" \
    -Dbench.launched="$data/launched" ${BENCH_OPTS:-} dev.roomkeeper.bench.ColdStartBenchmark > "$data/generator.log" 2>&1 &
  local generator=$!
  until grep -q polling "$data/generator.log" 2>/dev/null; do sleep 0.05; done
  date +%s%3N > "$data/launched.tmp"
  # shellcheck disable=SC2046
  $pin_server $(command_of "$kind") --server.port="$port" --rooms.store.dir="$data/rooms" "${SERVER_ARGS[@]}" \
    > "$data/server.log" 2>&1 &
  SERVER=$!
  mv "$data/launched.tmp" "$data/launched"
  local status=0
  wait "$generator" || status=$?
  local cpu
  cpu=$(awk '{printf "%.2f", ($14+$15)/100}' "/proc/$SERVER/stat")
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
  if [ "$status" -ne 0 ]; then cat "$data/generator.log"; tail -20 "$data/server.log"; exit 1; fi
  if [ "$seconds" -eq 0 ]; then
    printf '%-7s %s, server CPU %s s; %s; store load %s ms\n' "$kind" "$(grep -o 'first answer.*' "$data/generator.log")" \
      "$cpu" "$(grep -o 'Started RoomkeeperApplication in [0-9.]* seconds' "$data/server.log" | sed 's/Started RoomkeeperApplication in/Spring:/')" \
      "$(grep -o 'store-loaded.* millis=[0-9]*' "$data/server.log" | grep -o '[0-9]*$')"
  else
    echo "--- $kind (server pinned to CPU 0), server CPU $cpu s in all"
    grep -v polling "$data/generator.log"
  fi
  grep -h "\[aot\]" "$data/server.log" | head -3 || true
  rm -rf "$data"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); rooms in store: $ROOMS"
echo "load before: $(uptime)"
if [ "${BENCH_STEPS:-0}" = 1 ]; then
  steps=$WORK/steps; cp -r "$TEMPLATE" "$steps"
  $JAVA17 -cp "$CLASSPATH_BENCH" dev.roomkeeper.bench.StartupSteps --server.port=0 --rooms.store.dir="$steps" \
    --logging.level.root=WARN | grep -v '^\s*$\|^ \|^  \|===='
fi
for i in $(seq 1 "$LAUNCHES"); do
  for kind in $KINDS; do launch "$kind" 0 "" ""; done
done
if [ "$LOAD_SECONDS" -gt 0 ]; then
  for kind in $KINDS; do launch "$kind" "$LOAD_SECONDS" "taskset -c 0" "taskset -c 1"; done
fi
echo "load after: $(uptime)"
