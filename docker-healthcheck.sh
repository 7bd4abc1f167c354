#!/bin/bash
# The container's health check: exits 0 when GET /actuator/health on 127.0.0.1:${PORT:-8080} answers
# 200 (the server is UP), 1 otherwise (no answer, DOWN answers 503). Bash built-ins only (/dev/tcp,
# printf, read): the Temurin JRE image has no curl or wget, and a health check that starts a JVM
# would cost a fractional CPU far more. Usage: docker-healthcheck.sh [port]
port="${1:-${PORT:-8080}}"
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET /actuator/health HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$port" >&3 || exit 1
IFS=' ' read -r -t 4 protocol status _ <&3 || exit 1
exec 3<&-
[[ "$protocol" == HTTP/* && "$status" == 200 ]]
