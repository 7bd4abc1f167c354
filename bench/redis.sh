#!/usr/bin/env bash
# Two instances on the Redis store: the live API benchmark with every other member connected to the
# second server, so their messages cross instances through Redis. A throwaway redis-server (no
# persistence) on a free port; server A pinned to CPU 0, server B to CPU 1, Redis and the load
# generator unpinned (a 2-core machine has no third core: expect them to compete).
# Usage: bench/redis.sh [rooms] [members] [broadcasts per room per second] [seconds]
# The servers listen on BENCH_PORT and BENCH_PORT+1 and Redis on BENCH_REDIS_PORT, or on free
# ports below the ephemeral range when unset. Generator options go in BENCH_OPTS.
# Needs: Linux, taskset (util-linux), ss (iproute2), redis-server, 2+ cores. Builds the jar if
# it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOMS=${1:-200}; MEMBERS=${2:-10}; RATE=${3:-2}; SECONDS_TO_RUN=${4:-20}
# shellcheck source=bench/common.sh
source "bench/common.sh"
if [ -n "${BENCH_PORT:-}" ]; then
  PORT_A=$BENCH_PORT; PORT_B=$((PORT_A + 1))
else
  PORT_A=$(free_port); PORT_B=$(free_port "$PORT_A")
fi
REDIS_PORT=${BENCH_REDIS_PORT:-$(free_port "$PORT_A" "$PORT_B")}
ls target/roomkeeper-*.jar >/dev/null 2>&1 || mvn -q -DskipTests package
mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
JAR=$(ls target/roomkeeper-*.jar | grep -v original | head -1)
DATA=$(mktemp -d)
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "load before: $(uptime)"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$DATA" \
  --logfile "$DATA/redis.log" &
REDIS=$!
SERVERS=()
cleanup() {
  kill "${SERVERS[@]}" 2>/dev/null || true
  wait "${SERVERS[@]}" 2>/dev/null || true
  kill "$REDIS" 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.2; done
for i in 0 1; do
  PORT=$((i == 0 ? PORT_A : PORT_B))
  taskset -c "$i" java -Xmx512m -jar "$JAR" --server.port="$PORT" --rooms.store.type=redis \
    --spring.data.redis.url="redis://127.0.0.1:$REDIS_PORT" \
    --rooms.limits.connections-per-address=100000 --rooms.allowed-origins='*' \
    --logging.level.root=WARN > "$DATA/server-$i.log" 2>&1 &
  SERVERS+=($!)
done
for i in 0 1; do
  PORT=$((i == 0 ? PORT_A : PORT_B))
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/api/rooms" >/dev/null && break; sleep 0.5; done
  { kill -0 "${SERVERS[$i]}" && curl -sf "http://127.0.0.1:$PORT/api/rooms" >/dev/null; } ||
    { echo "server $i did not start on port $PORT:" >&2; tail -20 "$DATA/server-$i.log" >&2; exit 1; }
done
STATUS=0
# shellcheck disable=SC2086
java -Xmx2g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  -Dbench.url="http://127.0.0.1:$PORT_A" -Dbench.url2="http://127.0.0.1:$PORT_B" \
  -Dbench.redis="redis://127.0.0.1:$REDIS_PORT" -Dbench.rooms="$ROOMS" -Dbench.members="$MEMBERS" \
  -Dbench.rate="$RATE" -Dbench.seconds="$SECONDS_TO_RUN" -Dbench.pid="${SERVERS[0]}" ${BENCH_OPTS:-} \
  dev.roomkeeper.bench.LiveBenchmark || STATUS=$?
echo "load after: $(uptime)"
exit "$STATUS"
