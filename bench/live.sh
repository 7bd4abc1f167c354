#!/usr/bin/env bash
# Live API benchmark: the packaged server pinned to CPU 0, the load generator pinned to CPU 1.
# Usage: bench/live.sh [rooms] [members] [broadcasts per room per second] [seconds]
# The server listens on BENCH_PORT, or on a free port below the ephemeral range when unset.
# Server JVM options go in BENCH_SERVER_JVM (default -Xmx512m), server properties in BENCH_SERVER_ARGS
# (e.g. BENCH_SERVER_ARGS='--rooms.store.type=memory').
# Generator options go in BENCH_OPTS (e.g. BENCH_OPTS='-Dbench.inflight=128'; see LiveBenchmark).
# BENCH_WEBHOOKS=1 sends every lifecycle webhook (all types but room.state) to a local receiver
# (LocalWebhookReceiver, its own JVM pinned to CPU 1 beside the generator) and reports what it received.
# Needs: Linux, taskset (util-linux), ss (iproute2), 2+ cores. Builds the jar if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOMS=${1:-1000}; MEMBERS=${2:-10}; RATE=${3:-2}; SECONDS_TO_RUN=${4:-20}
# shellcheck source=bench/common.sh
source "bench/common.sh"
PORT=${BENCH_PORT:-$(free_port)}
ls target/roomkeeper-*.jar >/dev/null 2>&1 || mvn -q -DskipTests package
mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
JAR=$(ls target/roomkeeper-*.jar | grep -v original | head -1)
DATA=$(mktemp -d)
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
RECEIVER=""
WEBHOOK_ARGS=()
if [ "${BENCH_WEBHOOKS:-0}" = 1 ]; then
  HOOK_PORT=$(free_port "$PORT")
  HOOK_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
  taskset -c 1 java -Xmx256m -cp target/test-classes dev.roomkeeper.bench.LocalWebhookReceiver "$HOOK_PORT" \
    "$HOOK_SECRET" > "$DATA/receiver.log" 2>&1 &
  RECEIVER=$!
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$HOOK_PORT/stats" >/dev/null && break; sleep 0.5; done
  WEBHOOK_ARGS=("--rooms.webhooks.endpoints[0].url=http://127.0.0.1:$HOOK_PORT/hooks"
    "--rooms.webhooks.endpoints[0].secret=$HOOK_SECRET")
  # the load starts once the set-up's webhooks (room.created, member.joined, member.connected) are in
  BENCH_OPTS="${BENCH_OPTS:-} -Dbench.settle-url=http://127.0.0.1:$HOOK_PORT/stats -Dbench.settle-count=$((ROOMS * (1 + 2 * MEMBERS)))"
  echo "webhooks on: every lifecycle event to http://127.0.0.1:$HOOK_PORT/hooks (receiver pinned to CPU 1)"
fi
echo "load before: $(uptime)"
# shellcheck disable=SC2086
taskset -c 0 java ${BENCH_SERVER_JVM:--Xmx512m} -jar "$JAR" --server.port="$PORT" --rooms.store.dir="$DATA" \
  --rooms.limits.connections-per-address=100000 --rooms.allowed-origins='*' \
  --logging.level.root=WARN "${WEBHOOK_ARGS[@]}" ${BENCH_SERVER_ARGS:-} > "$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER $RECEIVER 2>/dev/null || true; wait $SERVER $RECEIVER 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/api/rooms" >/dev/null && break; sleep 0.5; done
{ kill -0 "$SERVER" && curl -sf "http://127.0.0.1:$PORT/api/rooms" >/dev/null; } || { echo "server did not start on port $PORT:" >&2; tail -20 "$DATA/server.log" >&2; exit 1; }
STATUS=0
echo "generator started at $(date +%T.%3N)"
# shellcheck disable=SC2086
taskset -c 1 java -Xmx2g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  -Dbench.url="http://127.0.0.1:$PORT" -Dbench.rooms="$ROOMS" -Dbench.members="$MEMBERS" \
  -Dbench.rate="$RATE" -Dbench.seconds="$SECONDS_TO_RUN" -Dbench.pid="$SERVER" ${BENCH_OPTS:-} \
  dev.roomkeeper.bench.LiveBenchmark || STATUS=$?
[ "$STATUS" -eq 0 ] || { echo "server log (last 20 lines):"; tail -20 "$DATA/server.log"; } >&2
if [ -n "$RECEIVER" ]; then
  echo "generator ended at $(date +%T.%3N)"
  STATS=$(curl -sf "http://127.0.0.1:$HOOK_PORT/stats" || echo "receiver did not answer")
  echo "webhook receiver: $STATS"
  for key in firstMillis lastMillis; do
    millis=$(sed -nE "s/.*$key=([0-9]+).*/\1/p" <<<"$STATS")
    [ -n "$millis" ] && [ "$millis" != 0 ] && echo "  $key: $(date -d "@${millis:0:-3}.${millis: -3}" +%T.%3N)"
  done
  echo "webhook receiver CPU: $(awk '{printf "%.1f s", ($14 + $15) / 100}' "/proc/$RECEIVER/stat")"
fi
echo "load after: $(uptime)"
exit "$STATUS"
