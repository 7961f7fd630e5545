#!/usr/bin/env bash
# Builds cwlogd, starts it on a free loopback port with the memory store, runs
# the boto3 tests against it and stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -o "$tmp/cwlogd" ./cmd/cwlogd
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$tmp/cwlogd" serve --listen "127.0.0.1:$port" --store memory --log-level warn &
pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/_cwlogd/health" >/dev/null 2>&1 && break
  sleep 0.05
done
CWLOGD_ENDPOINT="http://127.0.0.1:$port" python3 -m unittest -v tests/boto3/test_delivery.py tests/boto3/test_logs.py tests/boto3/test_recorded.py
