#!/usr/bin/env bash
# Webhook deliveries: WebhookBenchmark (the server, in its own JVM) pinned to CPU 0, the local webhook
# receiver (LocalWebhookReceiver, its own JVM) pinned to CPU 1. Reports deliveries/s and deliveries per
# server CPU-second.
# Usage: bench/webhooks.sh [store: memory|file] [rooms] [webhooks per room] [runs]
# Sender threads: BENCH_THREADS (default: the server's default). Needs: Linux, taskset, ss, 2+ cores.
set -euo pipefail
cd "$(dirname "$0")/.."
STORE=${1:-memory}; ROOMS=${2:-400}; PER_ROOM=${3:-50}; RUNS=${4:-1}
# shellcheck source=bench/common.sh
source "bench/common.sh"
SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
CLASSPATH_ALL="target/test-classes:target/classes:$(cat target/bench.classpath)"
HOOK_PORT=$(free_port)
taskset -c 1 java -Xmx256m -cp target/test-classes dev.roomkeeper.bench.LocalWebhookReceiver "$HOOK_PORT" "$SECRET" \
  > /dev/null 2>&1 &
RECEIVER=$!
trap 'kill $RECEIVER 2>/dev/null || true; wait $RECEIVER 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$HOOK_PORT/stats" >/dev/null && break; sleep 0.5; done
THREADS=()
[ -n "${BENCH_THREADS:-}" ] && THREADS=(-Dbench.threads="$BENCH_THREADS")
for run in $(seq 1 "$RUNS"); do
  echo "run $run, load before: $(uptime)"
  taskset -c 0 java -Xmx512m -cp "$CLASSPATH_ALL" -Dbench.store="$STORE" -Dbench.rooms="$ROOMS" \
    -Dbench.perRoom="$PER_ROOM" -Dbench.receiver="http://127.0.0.1:$HOOK_PORT" "${THREADS[@]}" ${BENCH_OPTS:-} \
    dev.roomkeeper.bench.WebhookBenchmark
done
echo "load after: $(uptime)"
