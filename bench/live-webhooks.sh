#!/usr/bin/env bash
# The live benchmark with webhooks off and on, alternately, to compare the server's delivered messages
# per CPU-second (the webhooks' cost on the fan-out).
# Usage: bench/live-webhooks.sh [pairs] [bench/live.sh arguments: rooms members rate seconds]
#   e.g. bench/live-webhooks.sh 2 1000 10 2 20
set -euo pipefail
cd "$(dirname "$0")/.."
PAIRS=${1:-2}
shift || true
LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT
for pair in $(seq 1 "$PAIRS"); do
  for hooks in off on; do
    echo "=== pair $pair, webhooks $hooks"
    BENCH_WEBHOOKS=$([ "$hooks" = on ] && echo 1 || echo 0) bench/live.sh "$@" 2>&1 | tee "$LOGS/$pair-$hooks.log"
  done
done
echo "=== summary (delivered messages per server CPU-second)"
for pair in $(seq 1 "$PAIRS"); do
  for hooks in off on; do
    printf 'pair %s, webhooks %-3s: %s | %s\n' "$pair" "$hooks" \
      "$(grep -o '[0-9]* delivered messages per CPU-second' "$LOGS/$pair-$hooks.log" || echo 'no figure')" \
      "$(grep -o 'load average: .*' "$LOGS/$pair-$hooks.log" | head -1)"
  done
done
