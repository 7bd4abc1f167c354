#!/usr/bin/env bash
# Durable REST writes: 64 connections patching the state of 64 rooms (wrk), on the memory store
# and on the file store, one after the other, with the server's CPU per write. The server is
# pinned to CPU 0 and wrk to CPU 1 (as bench/live.sh), so the two do not take each other's core.
#   bench/rest-writes.sh [seconds]     (needs target/roomkeeper-*.jar, wrk and taskset)
# ORDER=file,memory runs the file store first; ROUNDS=N alternates the pair N times; WARMUP=S sets
# the seconds of load before the measured run (default 30: with 5 the pinned JVM was still compiling
# the request path, and the memory store's rate moved by 15% from run to run).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
SECONDS_TO_RUN=${1:-15}
JAR=$(ls target/roomkeeper-*.jar | head -1)
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run() {
  local store=$1 port
  port=$(free_port)
  taskset -c 0 java -Xmx512m -jar "$JAR" --server.port="$port" --rooms.store.type="$store" \
    --rooms.store.dir="$WORK/$store" --rooms.max-rooms=100000 >"$WORK/$store.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 120); do curl -sf "localhost:$port/api/rooms" >/dev/null && break; sleep 0.5; done
  local lua="$WORK/$store.lua"
  echo "rooms = {}" >"$lua"
  for i in $(seq 1 64); do
    local code token
    code=$(curl -sf -H 'Content-Type: application/json' -d '{"state":{"counter":0}}' "localhost:$port/api/rooms" \
      | sed -E 's/.*"code":"([^"]+)".*/\1/')
    token=$(curl -sf -H 'Content-Type: application/json' -d '{"name":"w'"$i"'"}' \
      "localhost:$port/api/rooms/$code/members" | sed -E 's/.*"token":"([^"]+)".*/\1/')
    echo "rooms[$i] = {\"$code\", \"$token\"}" >>"$lua"
  done
  cat >>"$lua" <<'LUA'
local n = 0
local next_thread = 0
function setup(thread) thread:set("offset", next_thread * 32); next_thread = next_thread + 1 end
function request()
  n = n + 1
  local room = rooms[offset + (n % 32) + 1]
  return wrk.format("POST", "/api/rooms/" .. room[1] .. "/state",
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. room[2] },
    '{"patch":{"counter":' .. n .. '}}')
end
function done(summary, latency, requests)
  io.write(string.format("non2xx %d\n", summary.errors.status))
end
LUA
  taskset -c 1 wrk -t2 -c64 -d"${WARMUP:-30}s" -s "$lua" "http://localhost:$port" >/dev/null  # warm-up
  local before after
  before=$(cpu_ticks "$SERVER")
  local out
  out=$(taskset -c 1 wrk -t2 -c64 -d"${SECONDS_TO_RUN}s" --latency -s "$lua" "http://localhost:$port")
  after=$(cpu_ticks "$SERVER")
  local rps
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  echo "$store: $rps writes/s, $(echo "$out" | awk '/ 50%/ {print "p50 " $2} / 99%/ {print "p99 " $2}' | tr '\n' ' ')" \
    "$(echo "$out" | grep non2xx), server CPU $(awk -v t=$((after - before)) -v r="$rps" -v s="$SECONDS_TO_RUN" \
    -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.0f", t / hz * 1e6 / (r * s)}') us/write"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
}

for _ in $(seq 1 "${ROUNDS:-1}"); do
  for store in $(echo "${ORDER:-memory,file}" | tr ',' ' '); do run "$store"; done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
