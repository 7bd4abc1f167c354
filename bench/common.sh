# Shared by the benchmark scripts (sourced, not run).

# A port nobody listens on, other than the ones given as arguments.
free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 12000))
    if [[ " $* " != *" $port "* ]] && [ -z "$(ss -Htan "sport = :$port")" ]; then echo "$port"; return; fi
  done
  echo "no free port found" >&2; return 1
}
