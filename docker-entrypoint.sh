#!/bin/sh
# Starts Roomkeeper as the unprivileged user roomkeeper (uid 10001).
#
# Volumes on Fly.io, Render and many Kubernetes set-ups are mounted owned by root, which a
# non-root process cannot write. So when the container starts as root (the image default),
# this script first gives the store directory to roomkeeper, then drops root for good with
# setpriv and execs the server (which becomes PID 1 and receives SIGTERM directly). Started
# as any other user (docker run --user ...), it just execs the server as that user.
set -eu

if [ "$(id -u)" = "0" ]; then
	store_dir="${ROOMS_STORE_DIR:-/data/rooms}"
	mkdir -p "$store_dir"
	# Only what roomkeeper does not own yet, so a large store is not rewritten on every start.
	find "$store_dir" ! -user 10001 -exec chown 10001:10001 {} +
	exec setpriv --reuid=10001 --regid=10001 --init-groups "$@"
fi
exec "$@"
