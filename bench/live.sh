#!/usr/bin/env bash
# Live API benchmark: the packaged server pinned to CPU 0, the load generator pinned to CPU 1.
# Usage: bench/live.sh [rooms] [members] [broadcasts per room per second] [seconds]
# Needs: Linux, taskset (util-linux), 2+ cores. Builds the jar if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOMS=${1:-1000}; MEMBERS=${2:-10}; RATE=${3:-2}; SECONDS_TO_RUN=${4:-20}
PORT=${BENCH_PORT:-18080}
ls target/roomkeeper-*.jar >/dev/null 2>&1 || mvn -q -DskipTests package
mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
JAR=$(ls target/roomkeeper-*.jar | grep -v original | head -1)
DATA=$(mktemp -d)
ulimit -n 65536 || true
taskset -c 0 java -Xmx512m -jar "$JAR" --server.port="$PORT" --rooms.store.dir="$DATA" \
  --rooms.limits.connections-per-address=100000 --rooms.allowed-origins='*' \
  --logging.level.root=WARN > "$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/api/rooms" >/dev/null && break; sleep 0.5; done
taskset -c 1 java -Xmx2g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  -Dbench.url="http://127.0.0.1:$PORT" -Dbench.rooms="$ROOMS" -Dbench.members="$MEMBERS" \
  -Dbench.rate="$RATE" -Dbench.seconds="$SECONDS_TO_RUN" -Dbench.pid="$SERVER" \
  dev.roomkeeper.bench.LiveBenchmark
