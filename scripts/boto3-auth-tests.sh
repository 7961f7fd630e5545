#!/usr/bin/env bash
# Builds cwlogd, starts it with --auth strict (a credentials file and an
# environment credential) on a free loopback port with the memory store,
# runs tests/boto3/test_auth.py against it and stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -o "$tmp/cwlogd" ./cmd/cwlogd
cat >"$tmp/credentials.json" <<'JSON'
{"credentials": [
  {"accessKeyId": "111111111111", "secretAccessKey": "boto3-strict-secret", "accountId": "111111111111"},
  {"accessKeyId": "ASIABOTO3TEMP", "secretAccessKey": "boto3-temp-secret", "accountId": "333333333333", "sessionToken": "boto3-session-token"}
]}
JSON
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
AWS_ACCESS_KEY_ID=AKIABOTO3ENV AWS_SECRET_ACCESS_KEY=boto3-env-secret AWS_SESSION_TOKEN= \
  "$tmp/cwlogd" serve --listen "127.0.0.1:$port" --store memory --log-level warn \
  --auth strict --credentials "$tmp/credentials.json" &
pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/_cwlogd/health" >/dev/null 2>&1 && break
  sleep 0.05
done
CWLOGD_ENDPOINT="http://127.0.0.1:$port" python3 -m unittest -v tests/boto3/test_auth.py
