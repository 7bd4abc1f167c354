#!/usr/bin/env bash
# Roomkeeper against Socket.IO 4.8, the same load generator (LiveBenchmark) for both: fan-out
# scenarios, latency from the intended send time, a markdown table and a PNG chart (p99 against
# offered load) under docs/benchmarks/.
# Usage: bench/compare.sh                 full run (~15-20 min; a quiet machine, or the figures mean little)
#        BENCH_QUICK=1 bench/compare.sh   smoke run: tiny sizes, 3 s per point, proves the pipeline
# Scenarios (BENCH_SCENARIOS, default all five): all (1,000 rooms x 10, every member sending, at
# BENCH_LOADS deliveries/s), one (one sender per room), big (one room of 1,000 members, one sender),
# noisy (every member sending at 10,000/s with a CPU-bound process on the server's core), redis (two
# instances on one Redis, 200 rooms x 10, every member sending, members split across the instances, at
# BENCH_REDIS_LOADS deliveries/s, default "10000 20000").
# BENCH_SYSTEMS (default "roomkeeper socketio"), BENCH_SECONDS (per point), BENCH_WARMUP (an unrecorded
# first run of each server started, in seconds: 10, 0 in a smoke run), BENCH_OUT (docs/benchmarks),
# BENCH_SERVER_ARGS (more Roomkeeper properties), BENCH_SERVER_JVM (JVM options of the Roomkeeper servers, e.g.
# -XX:+UseZGC). One server: on CPU 0, the generator on CPU 1. Two
# instances: A on CPU 0, B on CPU 1, Redis and the generator unpinned (a 2-core machine has no third
# core). Roomkeeper runs the memory store (Socket.IO keeps nothing either), the Redis store for two.
# Needs: Linux, taskset (util-linux), ss (iproute2), curl, Java 17 and Maven, Node 18+ and npm,
# redis-server, 2+ cores. Builds the jar if it is missing; runs `npm ci` in bench/socketio.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/common.sh
source "bench/common.sh"

if [ -n "${BENCH_QUICK:-}" ]; then
  KIND="smoke"; NAME=comparison-smoke; SECONDS_PER_POINT=${BENCH_SECONDS:-3}
  ALL_ROOMS=20; ALL_MEMBERS=5; LOADS=${BENCH_LOADS:-"500 1000"}; ONE_LOADS="200 400"
  BIG_MEMBERS=50; BIG_LOADS="500"; NOISY_LOAD=500; REDIS_ROOMS=10; REDIS_MEMBERS=4; REDIS_LOADS="400"
else
  KIND="full"; NAME=comparison; SECONDS_PER_POINT=${BENCH_SECONDS:-20}
  ALL_ROOMS=1000; ALL_MEMBERS=10; LOADS=${BENCH_LOADS:-"10000 20000 30000"}; ONE_LOADS="10000 20000"
  BIG_MEMBERS=1000; BIG_LOADS="10000 20000"; NOISY_LOAD=10000; REDIS_ROOMS=200; REDIS_MEMBERS=10
  REDIS_LOADS=${BENCH_REDIS_LOADS:-"10000 20000"}
fi
SYSTEMS=${BENCH_SYSTEMS:-"roomkeeper socketio"}
WARMUP_SECONDS=${BENCH_WARMUP:-10}
[ -z "${BENCH_QUICK:-}" ] || WARMUP_SECONDS=${BENCH_WARMUP:-0}
SCENARIOS=${BENCH_SCENARIOS:-"all one big noisy redis"}
OUT=${BENCH_OUT:-docs/benchmarks}
mkdir -p "$OUT"
CSV="$OUT/$NAME.csv"
rm -f "$CSV"

ls target/roomkeeper-*.jar >/dev/null 2>&1 || mvn -q -DskipTests package
mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
CLASSPATH_BENCH="target/test-classes:target/classes:$(cat target/bench.classpath)"
JAR=$(ls target/roomkeeper-*.jar | grep -v original | head -1)
[ -d bench/socketio/node_modules ] || (cd bench/socketio && npm ci --no-audit --no-fund)
DATA=$(mktemp -d)
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load before: $(uptime)"

PIDS=()       # servers and Redis of the current scenario
NOISE=""      # the noisy neighbour, when running
FAILED=0
stop_all() {
  [ -z "$NOISE" ] || { kill "$NOISE" 2>/dev/null || true; NOISE=""; }
  if [ "${#PIDS[@]}" -gt 0 ]; then
    kill "${PIDS[@]}" 2>/dev/null || true
    wait "${PIDS[@]}" 2>/dev/null || true
  fi
  PIDS=()
}
trap 'stop_all; rm -rf "$DATA"' EXIT
trap 'exit 1' INT TERM

# start_server SYSTEM CPU PORT [REDIS_URL]: starts one server (pinned when CPU is not "-"), waits for it.
start_server() {
  local system=$1 cpu=$2 port=$3 redis=${4:-} pin=() log="$DATA/$1-$3.log"
  [ "$cpu" = "-" ] || pin=(taskset -c "$cpu")
  if [ "$system" = roomkeeper ]; then
    local store=(--rooms.store.type=memory)
    [ -z "$redis" ] || store=(--rooms.store.type=redis --spring.data.redis.url="$redis")
    # shellcheck disable=SC2086
    "${pin[@]}" java -Xmx512m ${BENCH_SERVER_JVM:-} -jar "$JAR" --server.port="$port" "${store[@]}" \
      --rooms.limits.connections-per-address=100000 --rooms.allowed-origins='*' \
      --logging.level.root=WARN ${BENCH_SERVER_ARGS:-} > "$log" 2>&1 &
    PIDS+=($!)
    local probe="http://127.0.0.1:$port/api/rooms"
  else
    "${pin[@]}" node bench/socketio/server.js --port "$port" ${redis:+--redis "$redis"} > "$log" 2>&1 &
    PIDS+=($!)
    local probe="http://127.0.0.1:$port/health"
  fi
  for _ in $(seq 1 120); do curl -sf "$probe" >/dev/null && return; sleep 0.5; done
  echo "$system did not start on port $port:" >&2; tail -20 "$log" >&2; exit 1
}

# point SYSTEM SCENARIO ROOMS MEMBERS SENDERS(one|all) LOAD GENERATOR_CPU URL [URL2]: one measurement.
# With WARMUP set (seconds), an unrecorded run of that length instead: the servers' JIT warms up
# before the first measured point, as it would in a server that has been up for a while.
point() {
  local system=$1 scenario=$2 rooms=$3 members=$4 senders=$5 load=$6 cpu=$7 url=$8 url2=${9:-} pin=()
  local seconds=$SECONDS_PER_POINT csv=(-Dbench.csv="$CSV")
  [ -z "${WARMUP:-}" ] || { seconds=$WARMUP; csv=(); scenario="$scenario (warm-up, not recorded)"; }
  local per_room=1; [ "$senders" = all ] && per_room=$members
  local rate; rate=$(awk "BEGIN { printf \"%.6f\", $load / ($rooms * $per_room * $members) }")
  local protocol=stomp; [ "$system" = socketio ] && protocol=socketio
  [ "$cpu" = "-" ] || pin=(taskset -c "$cpu")
  local others; others=$(IFS=,; echo "${PIDS[*]:1}")
  echo "== $system, $scenario: $rooms x $members, $senders sending, $load deliveries/s (load: $(cut -d' ' -f1 /proc/loadavg))"
  "${pin[@]}" java -Xmx2g -cp "$CLASSPATH_BENCH" -Dbench.url="$url" ${url2:+-Dbench.url2="$url2"} \
    -Dbench.protocol="$protocol" -Dbench.rooms="$rooms" -Dbench.members="$members" -Dbench.senders="$senders" \
    -Dbench.rate="$rate" -Dbench.seconds="$seconds" -Dbench.intended=true \
    -Dbench.pid="${PIDS[0]}" -Dbench.pids="$others" "${csv[@]}" -Dbench.system="$system" \
    -Dbench.scenario="$scenario" dev.roomkeeper.bench.LiveBenchmark || { FAILED=1; echo "!! point failed" >&2; }
}

# warm_up COMMAND ARGS...: runs the command with WARMUP set to BENCH_WARMUP seconds (default 10;
# 0 skips it).
warm_up() {
  [ "$WARMUP_SECONDS" = 0 ] || WARMUP=$WARMUP_SECONDS "$@"
}

one_server() {  # one_server SYSTEM SCENARIO ROOMS MEMBERS SENDERS LOADS [noisy]
  local port; port=$(free_port)
  start_server "$1" 0 "$port"
  if [ "${7:-}" = noisy ]; then
    taskset -c 0 sh -c 'while :; do :; done' &
    NOISE=$!
  fi
  warm_up point "$1" "$2" "$3" "$4" "$5" "${6%% *}" 1 "http://127.0.0.1:$port"
  for load in $6; do point "$1" "$2" "$3" "$4" "$5" "$load" 1 "http://127.0.0.1:$port"; done
  stop_all
}

two_instances() {  # two_instances SYSTEM
  local port_a port_b redis_port
  port_a=$(free_port); port_b=$(free_port "$port_a"); redis_port=$(free_port "$port_a" "$port_b")
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$DATA" \
    --logfile "$DATA/redis-$redis_port.log" &
  local redis_pid=$!
  for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG && break; sleep 0.2; done
  start_server "$1" 0 "$port_a" "redis://127.0.0.1:$redis_port"
  start_server "$1" 1 "$port_b" "redis://127.0.0.1:$redis_port"
  PIDS+=("$redis_pid")
  warm_up point "$1" "two instances on Redis" "$REDIS_ROOMS" "$REDIS_MEMBERS" all "${REDIS_LOADS%% *}" - \
    "http://127.0.0.1:$port_a" "http://127.0.0.1:$port_b"
  for load in $REDIS_LOADS; do
    point "$1" "two instances on Redis" "$REDIS_ROOMS" "$REDIS_MEMBERS" all "$load" - \
      "http://127.0.0.1:$port_a" "http://127.0.0.1:$port_b"
  done
  stop_all
}

for scenario in $SCENARIOS; do
  for system in $SYSTEMS; do
    case $scenario in
      all) one_server "$system" "every member sending" "$ALL_ROOMS" "$ALL_MEMBERS" all "$LOADS" ;;
      one) one_server "$system" "one sender per room" "$ALL_ROOMS" "$ALL_MEMBERS" one "$ONE_LOADS" ;;
      big) one_server "$system" "one room of $BIG_MEMBERS" 1 "$BIG_MEMBERS" one "$BIG_LOADS" ;;
      noisy) one_server "$system" "noisy neighbour" "$ALL_ROOMS" "$ALL_MEMBERS" all "$NOISY_LOAD" noisy ;;
      redis) two_instances "$system" ;;
      *) echo "unknown scenario $scenario" >&2; exit 2 ;;
    esac
  done
done

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
MACHINE="$(nproc)-core $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(uname -r), Java $(java -version 2>&1 | head -1 | cut -d'"' -f2), Node $(node -v), socket.io $(node -p "require('./bench/socketio/node_modules/socket.io/package.json').version")"
if [ "$KIND" = smoke ]; then
  HEADING="**Smoke run (\`BENCH_QUICK=1\`: tiny sizes, $SECONDS_PER_POINT s per point): it proves the pipeline, these are not figures.**"
else
  HEADING="**Full run**, $SECONDS_PER_POINT s per point."
fi
HEADING="$HEADING $(date -u '+%Y-%m-%d %H:%M UTC'); $MACHINE; load average (1, 5, 15 min) before: $LOAD_BEFORE, after: $LOAD_AFTER."
java -Djava.awt.headless=true -cp "$CLASSPATH_BENCH" dev.roomkeeper.bench.ComparisonReport "$CSV" "$OUT/$NAME.md" \
  "$OUT/$NAME.png" "$HEADING"
echo "load after: $(uptime)"
exit "$FAILED"
