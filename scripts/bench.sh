#!/usr/bin/env bash
# Benchmarks cwlogd side by side with moto_server and the bare net/http
# baseline handler (`cwlogd bench --op baseline-server`), all in one run on
# this machine, and writes docs/benchmarks.md.
#
# Measures, for each server: start-up time (process start to the first 2xx
# answer to a signed DescribeDeliverySources, median of 5 starts), RSS idle
# and after creating 10,000 delivery sources, and GetDeliverySource and
# PutDeliverySource requests/s and p50/p99 latency at 1 and 16 clients.
# Servers are measured interleaved, cell by cell, so that the ratios compare
# figures taken under the same conditions.
#
# Settings (environment): BENCH_DURATION (5s per cell), BENCH_WARMUP (1s),
# BENCH_STARTS (5), BENCH_SOURCES (10000), BENCH_OUT (docs/benchmarks.md).
# moto is started as `python3 -m moto.server` when python3 can import it,
# else as moto_server from PATH; without either its column reads n/a.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."

duration=${BENCH_DURATION:-5s}
warmup=${BENCH_WARMUP:-1s}
starts=${BENCH_STARTS:-5}
sources=${BENCH_SOURCES:-10000}
out=${BENCH_OUT:-docs/benchmarks.md}
command_line=""
for v in BENCH_DURATION BENCH_WARMUP BENCH_STARTS BENCH_SOURCES BENCH_OUT; do
  if [ -n "${!v:-}" ]; then command_line+="$v=${!v} "; fi
done
command_line+="scripts/bench.sh"
script_start=$SECONDS

tmp=$(mktemp -d)
res="$tmp/res"
mkdir -p "$res"
declare -A live=()       # pid -> server name, for every process still running
declare -A srv_pid=() srv_port=()

stop_pid() {
  local pid=$1
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset "live[$pid]"
}
cleanup() {
  local pid
  for pid in "${!live[@]}"; do stop_pid "$pid"; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[%3ds] %s\n' $((SECONDS - script_start)) "$*" >&2; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

log "building cwlogd"
bin="$tmp/cwlogd"
go build -o "$bin" ./cmd/cwlogd

servers=(cwlogd moto baseline)
moto_cmd=()
moto_version=""
if python3 -c 'import moto.server' 2>/dev/null; then
  moto_cmd=("$(python3 -c 'import sys; print(sys.executable)')" -m moto.server -H 127.0.0.1)
  moto_version=$(python3 -c 'import moto; print(moto.__version__)')
elif command -v moto_server >/dev/null; then
  moto_cmd=(moto_server -H 127.0.0.1)
  moto_version="(moto_server from PATH)"
fi

# start_server NAME PORT: starts the server in the background; its pid ends
# up in srv_pid[NAME].
start_server() {
  local name=$1 port=$2
  case $name in
    cwlogd) "$bin" serve --listen "127.0.0.1:$port" --store memory >>"$tmp/$name.log" 2>&1 & ;;
    moto) "${moto_cmd[@]}" -p "$port" >>"$tmp/$name.log" 2>&1 & ;;
    baseline) "$bin" bench --op baseline-server --listen "127.0.0.1:$port" >>"$tmp/$name.log" 2>&1 & ;;
  esac
  srv_pid[$name]=$!
  srv_port[$name]=$port
  live[$!]=$name
}

# time_start NAME: starts the server and appends the milliseconds from its
# process start to its first 2xx answer to $res/NAME.startup, or "n/a". The
# probe starts (and is polling) before the server, and learns the server's
# start time from a file, so its own start-up is not counted.
time_start() {
  local name=$1 port t0 probe
  port=$(free_port)
  rm -f "$tmp/t0"
  "$bin" bench --wait-ready --endpoint "http://127.0.0.1:$port" --since "@$tmp/t0" --wait-timeout 120s \
    >"$tmp/ready" 2>>"$tmp/$name.log" &
  probe=$!
  live[$probe]=probe
  sleep 0.2
  t0=$EPOCHREALTIME
  start_server "$name" "$port"
  printf '%s\n' "$t0" >"$tmp/t0"
  if wait "$probe"; then
    cat "$tmp/ready" >>"$res/$name.startup"
  else
    echo "n/a" >>"$res/$name.startup"
  fi
  unset "live[$probe]"
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo "n/a"; }

# bench NAME FILE ARGS…: runs `cwlogd bench --json` against server NAME and
# keeps its report in $res/FILE.json (and its complaints in FILE.err).
bench() {
  local name=$1 file=$2
  shift 2
  "$bin" bench --json --endpoint "http://127.0.0.1:${srv_port[$name]}" "$@" \
    >"$res/$file.json" 2>"$res/$file.err" || true
}

active=()
for name in "${servers[@]}"; do
  if [ "$name" = moto ] && [ ${#moto_cmd[@]} -eq 0 ]; then
    log "moto is not installed: its column will read n/a"
    continue
  fi
  active+=("$name")
done

log "start-up: $starts starts of each server, interleaved"
for i in $(seq 1 "$starts"); do
  for name in "${active[@]}"; do
    time_start "$name"
    if [ "$i" -lt "$starts" ]; then stop_pid "${srv_pid[$name]}"; fi
  done
done

sleep 1
log "RSS idle"
for name in "${active[@]}"; do rss_kib "${srv_pid[$name]}" >"$res/$name.rss_idle"; done

log "creating $sources delivery sources on each server"
for name in "${active[@]}"; do
  bench "$name" "$name-create" --op PutDeliverySource --distinct --requests "$sources" --warmup 0 --clients 4
done
sleep 1
for name in "${active[@]}"; do rss_kib "${srv_pid[$name]}" >"$res/$name.rss_sources"; done

for op in GetDeliverySource PutDeliverySource; do
  for clients in 1 16; do
    log "$op, $clients client(s): $duration per server after $warmup of warm-up"
    for name in "${active[@]}"; do
      bench "$name" "$name-$op-$clients" --op "$op" --clients "$clients" --duration "$duration" --warmup "$warmup"
    done
  done
done

for name in "${active[@]}"; do
  if ! kill -0 "${srv_pid[$name]}" 2>/dev/null; then
    log "$name died during the run; its log:"
    tail -n 20 "$tmp/$name.log" >&2 || true
  fi
done
for name in "${active[@]}"; do stop_pid "${srv_pid[$name]}"; done

elapsed=$((SECONDS - script_start))
log "writing $out"
mkdir -p "$(dirname "$out")"
python3 - "$res" "$out" <<EOF
import json, os, statistics, sys

res, out = sys.argv[1], sys.argv[2]
servers = ["cwlogd", "moto", "baseline"]

def read(name):
    try:
        with open(os.path.join(res, name)) as f:
            return f.read().strip()
    except OSError:
        return ""

def report(file):
    """The JSON report of one bench, or None with the reason when unusable."""
    txt = read(file + ".json")
    if not txt:
        return None, (read(file + ".err") or "no report").splitlines()[-1]
    r = json.loads(txt)
    if r["ok"] == 0:
        return None, r.get("first_error") or "no successful request"
    return r, ""

notes = []

def startup(name):
    vals = [v for v in read(name + ".startup").split() if v != "n/a"]
    if len(vals) == 0:
        return None, ""
    ms = [float(v) for v in vals]
    return statistics.median(ms), ", ".join("%.1f" % v for v in ms)

def rss(name, what):
    v = read(name + "." + what)
    return float(v) / 1024 if v and v != "n/a" else None

def cell(name, op, clients, key):
    r, why = report("%s-%s-%d" % (name, op, clients))
    if r is None:
        if why:
            notes.append("%s %s at %d client(s): n/a (%s)" % (name, op, clients, why[:200]))
        return None
    if r["errors"]:
        notes.append("%s %s at %d client(s): %d of %d requests failed, first: %s"
                     % (name, op, clients, r["errors"], r["requests"], r["first_error"][:200]))
    return r[key]

def fmt(v, digits):
    return "n/a" if v is None else ("%." + str(digits) + "f") % v

def ratio(a, b):
    return "n/a" if a is None or b is None or b == 0 else "%.2f" % (a / b)

def table(title, unit, better, rows, digits):
    lines = ["### " + title, "",
             "| %s | cwlogd | moto | baseline | cwlogd/moto | cwlogd/baseline |" % unit,
             "|---|---:|---:|---:|---:|---:|"]
    for label, vals in rows:
        c, m, b = vals
        lines.append("| %s | %s | %s | %s | %s | %s |" % (label, fmt(c, digits), fmt(m, digits), fmt(b, digits), ratio(c, m), ratio(c, b)))
    lines += ["", better, ""]
    return "\n".join(lines)

cpu = "unknown"
with open("/proc/cpuinfo") as f:
    for line in f:
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break

su = {s: startup(s) for s in servers}
created = {}
for s in servers:
    r, why = report(s + "-create")
    created[s] = r
    if r is None and why:
        notes.append("%s: creating the delivery sources failed (%s)" % (s, why[:200]))
    elif r is not None and r["errors"]:
        notes.append("%s: %d of %d PutDeliverySource calls creating the sources failed, first: %s"
                     % (s, r["errors"], r["requests"], r["first_error"][:200]))

parts = []
parts.append("""# Benchmarks

cwlogd measured side by side with moto (\`moto_server\`) and with a bare
\`net/http\` handler that answers every request with a fixed
GetDeliverySource-sized body (\`cwlogd bench --op baseline-server\`): the
limit of what a Go HTTP server does on this machine. All figures come from one
run of \`scripts/bench.sh\` on a shared, noisy machine, with the load generator
(\`cwlogd bench\`) running on the same cores as the server: the absolute numbers
move from run to run, only the ratios between servers measured in the same run
mean much.

## Machine and run

| | |
|---|---|
| CPUs (nproc) | $(nproc) |
| CPU model | %s |
| Go | $(go version | sed 's/^go version //') |
| moto | ${moto_version:-not installed} |
| kernel | $(uname -sr) |
| date | $(date -u '+%Y-%m-%d %H:%M UTC') |
| script run time | ${elapsed} s |

Command, from the repository root:

\`\`\`
${command_line}
\`\`\`

Every server listens on 127.0.0.1. cwlogd runs as \`cwlogd serve --store memory\`;
moto as \`moto_server -H 127.0.0.1 -p PORT\` (through \`python3 -m moto.server\`, the
same entry point without the launcher script), logging each request to a file as it
does by default; the baseline as \`cwlogd bench --op baseline-server\`.
Requests are SigV4-signed AWS JSON 1.1 calls (\`X-Amz-Target: Logs_20140328.*\`)
over keep-alive connections.
""" % cpu)

parts.append("## Results\n")
parts.append(table("Start-up time",
    "ms, median of $starts starts",
    "From the server process's start to its first 2xx answer to a signed "
    "DescribeDeliverySources (polled every 0.5 ms). Lower is better; a ratio below 1 "
    "means cwlogd starts faster. Every start: " +
    "; ".join("%s %s" % (s, su[s][1] or "n/a") for s in servers) + ".",
    [("start-up", [su[s][0] for s in servers])], 1))
parts.append(table("Memory",
    "RSS, MiB",
    "VmRSS from /proc/PID/status: idle is after start-up and at least a second "
    "of idling; the second row is after $sources PutDeliverySource calls with distinct "
    "names (4 clients). The baseline stores nothing: its second row is only the "
    "cost of having served as many requests. Lower is better.",
    [("idle", [rss(s, "rss_idle") for s in servers]),
     ("after $sources delivery sources", [rss(s, "rss_sources") for s in servers])], 1))

cells = [(op, c) for op in ("GetDeliverySource", "PutDeliverySource") for c in (1, 16)]
def rows(key):
    return [("%s, %d client%s" % (op, c, "" if c == 1 else "s"), [cell(s, op, c, key) for s in servers]) for op, c in cells]
parts.append(table("Throughput", "requests/s",
    "$duration per cell after $warmup of warm-up, servers measured one after the other "
    "for each cell. Higher is better; a ratio above 1 means cwlogd serves more. The "
    "servers hold the $sources delivery sources created before. PutDeliverySource "
    "cycles over 100 names, overwriting them.",
    rows("requests_per_s"), 0))
parts.append(table("Latency p50", "ms",
    "Median time of one request as the client sees it, in the same cells. Lower is "
    "better; a ratio below 1 means cwlogd answers faster.",
    rows("p50_ms"), 3))
parts.append(table("Latency p99", "ms",
    "99th percentile of the same requests. Lower is better.",
    rows("p99_ms"), 3))

if notes:
    parts.append("### Notes on this run\n\n" + "\n".join("- " + n for n in notes) + "\n")

parts.append("""## How to reproduce

\`\`\`
scripts/bench.sh                                   # writes docs/benchmarks.md
BENCH_DURATION=10s BENCH_OUT=/tmp/b.md scripts/bench.sh   # longer cells, elsewhere
\`\`\`

It needs Go, python3 (for free ports and this report) and, for the moto column,
moto installed for python3 or \`moto_server\` on PATH. It builds cwlogd once, starts
every server on free loopback ports, stops them all on exit and takes under five
minutes with the defaults. Single measurements:

\`\`\`
cwlogd serve --listen 127.0.0.1:4566 --store memory &
cwlogd bench --endpoint http://127.0.0.1:4566 --op GetDeliverySource --clients 16 --duration 5s
cwlogd bench --endpoint http://127.0.0.1:4566 --op PutDeliverySource --distinct --requests 10000 --warmup 0
cwlogd bench --op baseline-server --listen 127.0.0.1:4567
\`\`\`

\`cwlogd bench -h\` lists every flag (\`--op CreateDeleteDelivery\` and
\`--op DescribeDeliveries\` are there too, and \`--json\` for machine-readable reports).
""")

with open(out, "w") as f:
    f.write("\n".join(parts))
EOF
log "done in $((SECONDS - script_start)) s: $out"
