#!/usr/bin/env bash
# Reconnection benchmark: ROOMS x CLIENTS clients reconnect at once after a graceful restart of the
# packaged server (file store by default), catching up by recovery (since-seq + epoch) or by snapshot.
# Usage: bench/reconnect.sh [rooms] [clients per room] [messages missed per room] [modes]
#   modes: comma-separated rounds, each `recovery` or `snapshot` (default recovery,snapshot)
# ReconnectBenchmark launches the server itself (pinned to CPU 0 with taskset) and restarts it with
# SIGTERM before each round; the generator runs pinned to CPU 1.
# The server listens on BENCH_PORT, or on a free port below the ephemeral range when unset.
# Server JVM options go in BENCH_SERVER_JVM (default -Xmx512m), server properties in BENCH_SERVER_ARGS
# (e.g. BENCH_SERVER_ARGS='--rooms.history.size=0'). Generator options go in BENCH_OPTS
# (e.g. BENCH_OPTS='-Dbench.inflight=256'; see ReconnectBenchmark).
# Needs: Linux, taskset (util-linux), ss (iproute2), 2+ cores. Builds the jar if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOMS=${1:-1000}; CLIENTS=${2:-10}; MISSED=${3:-50}; MODES=${4:-recovery,snapshot}
# shellcheck source=bench/common.sh
source "bench/common.sh"
PORT=${BENCH_PORT:-$(free_port)}
ls target/roomkeeper-*.jar >/dev/null 2>&1 || mvn -q -DskipTests package
mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
JAR=$(ls target/roomkeeper-*.jar | grep -v original | head -1)
DATA=$(mktemp -d)
trap 'rm -rf "$DATA"' EXIT
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "load before: $(uptime)"
STATUS=0
# shellcheck disable=SC2086
taskset -c 1 java -Xmx2g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  -Dbench.url="http://127.0.0.1:$PORT" -Dbench.rooms="$ROOMS" -Dbench.members="$CLIENTS" \
  -Dbench.missed="$MISSED" -Dbench.modes="$MODES" -Dbench.server-log="$DATA/server.log" ${BENCH_OPTS:-} \
  dev.roomkeeper.bench.ReconnectBenchmark \
  taskset -c 0 java ${BENCH_SERVER_JVM:--Xmx512m} -jar "$JAR" --server.port="$PORT" --rooms.store.dir="$DATA/rooms" \
  --rooms.limits.connections-per-address=100000 --rooms.allowed-origins='*' \
  --logging.level.root=WARN ${BENCH_SERVER_ARGS:-} || STATUS=$?
[ "$STATUS" -eq 0 ] || { echo "server log (last 20 lines):"; tail -20 "$DATA/server.log"; } >&2
echo "load after: $(uptime)"
exit "$STATUS"
