#!/usr/bin/env bash
# Benchmarks cwlogd on each of its three stores (memory, sqlite, postgres)
# side by side with moto_server and the bare net/http baseline handler
# (`cwlogd bench --op baseline-server`), all in one run on this machine, and
# writes docs/benchmarks.md.
#
# Measures, for each server:
#   - start-up time (process start to the first 2xx answer to a signed
#     DescribeDeliverySources, median of BENCH_STARTS starts) with an empty
#     store, and, for sqlite and postgres, with BENCH_BIG delivery sources
#     stored (filled with `cwlogd import` from a generated export file; the
#     import is timed too);
#   - RSS idle, after creating BENCH_SOURCES delivery sources through the API
#     and, for memory (through the API) and sqlite and postgres (imported),
#     with BENCH_BIG stored;
#   - on-disk size per 10,000 delivery sources for sqlite and postgres;
#   - PutDeliverySource (--distinct: every request creates a new source),
#     CreateDeleteDelivery (two writes an iteration) and GetDeliverySource
#     requests/s and p50/p99 latency at 1 and 16 clients;
#   - log events, on fresh servers: PutLogEvents (batches of 1000 events
#     of 200 bytes, one stream per client) at 1 and 8 clients, in
#     requests/s, events/s and MB/s; then a stream filled once per server
#     with BENCH_FILL events (the fill is timed), read with GetLogEvents
#     (pages of 1000 events) and FilterLogEvents (windows of 10,000 events,
#     a JSON pattern and a term), at 1 client. The baseline only takes part
#     in PutLogEvents: it keeps no events to read.
# Servers are measured interleaved, cell by cell, so that the ratios compare
# figures taken under the same conditions.
#
# Settings (environment): BENCH_DURATION (3s per cell), BENCH_WARMUP (1s),
# BENCH_STARTS (5), BENCH_SOURCES (10000), BENCH_BIG (100000),
# BENCH_FILL (1000000 events in the stream the log reads read),
# BENCH_READ_DURATION (5s per log read cell: moto takes about a second an
# iteration),
# BENCH_PG (postgres://postgres@127.0.0.1:5432, the PostgreSQL server; a
# fresh database is created on it for each use and dropped at exit),
# BENCH_PG_ADMIN_DB (test, the database to connect to for CREATE/DROP
# DATABASE), BENCH_OUT (docs/benchmarks.md).
# moto is started as `python3 -m moto.server` when python3 can import it,
# else as moto_server from PATH; without either its column reads n/a, as
# does the postgres column when psql cannot reach BENCH_PG.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."

duration=${BENCH_DURATION:-3s}
warmup=${BENCH_WARMUP:-1s}
starts=${BENCH_STARTS:-5}
sources=${BENCH_SOURCES:-10000}
big=${BENCH_BIG:-100000}
fill=${BENCH_FILL:-1000000}
read_duration=${BENCH_READ_DURATION:-5s}
pg_server=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
pg_admin_db=${BENCH_PG_ADMIN_DB:-test}
out=${BENCH_OUT:-docs/benchmarks.md}
command_line=""
for v in BENCH_DURATION BENCH_WARMUP BENCH_STARTS BENCH_SOURCES BENCH_BIG BENCH_FILL BENCH_READ_DURATION BENCH_PG BENCH_PG_ADMIN_DB BENCH_OUT; do
  if [ -n "${!v:-}" ]; then command_line+="$v=${!v} "; fi
done
command_line+="scripts/bench.sh"
script_start=$SECONDS

tmp=$(mktemp -d)
res="$tmp/res"
mkdir -p "$res"
declare -A live=()       # pid -> server name, for every process still running
declare -A srv_pid=() srv_port=()
pg_dbs=()                # databases this run created, dropped at exit
pg_prefix="cwlogd_bench_$$"

stop_pid() {
  local pid=$1
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset "live[$pid]"
}
cleanup() {
  local pid db
  for pid in "${!live[@]}"; do stop_pid "$pid"; done
  for db in "${pg_dbs[@]}"; do
    psql -qX "$pg_server/$pg_admin_db" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[%3ds] %s\n' $((SECONDS - script_start)) "$*" >&2; }
put() { printf '%s\n' "$3" >"$res/$1.$2"; }   # put SERVER KEY VALUE

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

log "building cwlogd"
bin="$tmp/cwlogd"
go build -o "$bin" ./cmd/cwlogd

servers=(memory sqlite postgres moto baseline)
moto_cmd=()
moto_version=""
if python3 -c 'import moto.server' 2>/dev/null; then
  moto_cmd=("$(python3 -c 'import sys; print(sys.executable)')" -m moto.server -H 127.0.0.1)
  moto_version=$(python3 -c 'import moto; print(moto.__version__)')
elif command -v moto_server >/dev/null; then
  moto_cmd=(moto_server -H 127.0.0.1)
  moto_version="(moto_server from PATH)"
fi
pg_version=""
if command -v psql >/dev/null &&
  pg_version=$(psql -qXAt "$pg_server/$pg_admin_db" -c "SHOW server_version" 2>/dev/null); then
  pg_settings=$(psql -qXAt -F= "$pg_server/$pg_admin_db" -c \
    "SELECT name, setting || coalesce(unit, '') FROM pg_settings WHERE name IN
       ('fsync', 'synchronous_commit', 'wal_sync_method', 'shared_buffers', 'autovacuum') ORDER BY name" |
    paste -sd ' ')
else
  pg_version=""
  pg_settings=""
fi

# pg_new SUFFIX: creates a fresh database and points pg_url at it.
pg_new() {
  local db="${pg_prefix}_$1"
  psql -qX "$pg_server/$pg_admin_db" -c "CREATE DATABASE $db" >/dev/null
  pg_dbs+=("$db")
  pg_url="$pg_server/$db"
}
# pg_size URL: prints "DATABASE_BYTES TABLES_BYTES": pg_database_size and the
# sum of pg_total_relation_size (heap, indexes, TOAST) of the public tables.
pg_size() {
  psql -qXAt -F' ' "$1" -c "SELECT pg_database_size(current_database()),
    (SELECT coalesce(sum(pg_total_relation_size(oid)), 0) FROM pg_class
      WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace)"
}
pg_tables() {
  psql -qXAt -F' ' "$1" -c "SELECT relname, pg_total_relation_size(oid) FROM pg_class
    WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY 2 DESC" | paste -sd ' '
}
dir_bytes() { du -sb "$1" | cut -f1; }
now() { printf '%s\n' "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f\n", b - a }'; }

# The stores the cwlogd servers use; start_server reads them.
sqlite_dir=""
pg_url=""

# init_store NAME: creates the (empty) schema of the store NAME points at,
# as a start would, with `cwlogd export`.
init_store() {
  case $1 in
    sqlite) "$bin" export --store sqlite --data-dir "$sqlite_dir" --out /dev/null ;;
    postgres) "$bin" export --store "$pg_url" --out /dev/null ;;
  esac
}

# start_server NAME PORT: starts the server in the background; its pid ends
# up in srv_pid[NAME].
start_server() {
  local name=$1 port=$2
  case $name in
    memory) "$bin" serve --listen "127.0.0.1:$port" --store memory >>"$tmp/$name.log" 2>&1 & ;;
    sqlite) "$bin" serve --listen "127.0.0.1:$port" --store sqlite --data-dir "$sqlite_dir" >>"$tmp/$name.log" 2>&1 & ;;
    postgres) "$bin" serve --listen "127.0.0.1:$port" --store "$pg_url" >>"$tmp/$name.log" 2>&1 & ;;
    moto) "${moto_cmd[@]}" -p "$port" >>"$tmp/$name.log" 2>&1 & ;;
    baseline) "$bin" bench --op baseline-server --listen "127.0.0.1:$port" >>"$tmp/$name.log" 2>&1 & ;;
  esac
  srv_pid[$name]=$!
  srv_port[$name]=$port
  live[$!]=$name
}

# time_start NAME FILE: starts the server and appends the milliseconds from
# its process start to its first 2xx answer to $res/NAME.FILE, or "n/a". The
# probe starts (and is polling) before the server, and learns the server's
# start time from a file, so its own start-up is not counted.
time_start() {
  local name=$1 file=$2 port t0 probe
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
    cat "$tmp/ready" >>"$res/$name.$file"
  else
    echo "n/a" >>"$res/$name.$file"
  fi
  unset "live[$probe]"
}

# run_server NAME: starts the server and waits until it answers.
run_server() {
  local name=$1 port
  port=$(free_port)
  start_server "$name" "$port"
  if ! "$bin" bench --wait-ready --endpoint "http://127.0.0.1:$port" --wait-timeout 120s >/dev/null 2>>"$tmp/$name.log"; then
    log "$name did not start; its log:"
    tail -n 20 "$tmp/$name.log" >&2 || true
  fi
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

# check_alive NAME…: complains about any server that died.
check_alive() {
  local name
  for name in "$@"; do
    if ! kill -0 "${srv_pid[$name]}" 2>/dev/null; then
      log "$name died during the run; its log:"
      tail -n 20 "$tmp/$name.log" >&2 || true
      echo "$name died during the run: $(tail -n 3 "$tmp/$name.log" | tr '\n' ' ')" >>"$res/notes"
    fi
  done
}

active=()
for name in "${servers[@]}"; do
  if [ "$name" = moto ] && [ ${#moto_cmd[@]} -eq 0 ]; then
    log "moto is not installed: its column will read n/a"
    continue
  fi
  if [ "$name" = postgres ] && [ -z "$pg_version" ]; then
    log "PostgreSQL is not reachable at $pg_server/$pg_admin_db: its column will read n/a"
    continue
  fi
  active+=("$name")
done
has() { [[ " ${active[*]} " == *" $1 "* ]]; }
durable=()
for name in sqlite postgres; do has "$name" && durable+=("$name"); done

log "generating an export file of $big delivery sources"
snapshot="$tmp/snapshot.json"
python3 - "$big" "$snapshot" <<'EOF'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
acct, region = "123456789012", "us-east-1"
with open(path, "w") as f:
    f.write('{"format":1,"scopes":[{"account":"%s","region":"%s","deliverySources":[' % (acct, region))
    for i in range(n):
        if i:
            f.write(",")
        f.write('{"name":"bulk-%d","arn":"arn:aws:logs:%s:%s:delivery-source:bulk-%d",'
                '"resourceArn":"arn:aws:cloudfront::%s:distribution/EBULK%d",'
                '"service":"cloudfront","logType":"ACCESS_LOGS"}' % (i, region, acct, i, acct, i))
    f.write("]}]}\n")
EOF

# ---- 1. Empty stores: start-up, idle RSS, then the throughput cells. ----
sqlite_dir="$tmp/sqlite-empty"
has sqlite && init_store sqlite
if has postgres; then
  pg_new empty
  init_store postgres
fi

log "start-up, empty stores: $starts starts of each server, interleaved"
for i in $(seq 1 "$starts"); do
  for name in "${active[@]}"; do
    time_start "$name" startup
    if [ "$i" -lt "$starts" ]; then stop_pid "${srv_pid[$name]}"; fi
  done
done

sleep 1
log "RSS idle"
for name in "${active[@]}"; do put "$name" rss_idle "$(rss_kib "${srv_pid[$name]}")"; done

first=0
for op in PutDeliverySource CreateDeleteDelivery GetDeliverySource; do
  for clients in 1 16; do
    log "$op, $clients client(s): $duration per server after $warmup of warm-up"
    extra=()
    if [ "$op" = PutDeliverySource ]; then
      first=$((first + 10000000)) # every cell creates sources no cell created before
      extra=(--distinct --first "$first")
    fi
    for name in "${active[@]}"; do
      bench "$name" "$name-$op-$clients" --op "$op" --clients "$clients" --duration "$duration" --warmup "$warmup" "${extra[@]}"
    done
  done
done
check_alive "${active[@]}"
for name in "${active[@]}"; do stop_pid "${srv_pid[$name]}"; done
if has postgres; then
  # A backend's transaction counts reach pg_stat_database for sure when it
  # ends: read them once cwlogd has closed its connections.
  sleep 1
  psql -qXAt -F' ' "$pg_url" -c "SELECT xact_commit, xact_rollback FROM pg_stat_database
    WHERE datname = current_database()" >"$res/postgres.xacts" || true
fi

# ---- 2. Filling: $sources through the API on fresh servers, RSS, sizes. ----
sqlite_dir="$tmp/sqlite-api"
if has sqlite; then
  init_store sqlite
  put sqlite disk_empty "$(dir_bytes "$sqlite_dir")"
fi
if has postgres; then
  pg_new api
  init_store postgres
  put postgres disk_empty "$(pg_size "$pg_url")"
fi
log "creating $sources delivery sources through the API (16 clients) on a fresh instance of each server"
for name in "${active[@]}"; do
  run_server "$name"
  bench "$name" "$name-fill" --op PutDeliverySource --distinct --requests "$sources" --warmup 0 --clients 16
  sleep 1
  put "$name" rss_sources "$(rss_kib "${srv_pid[$name]}")"
  if [ "$name" = memory ]; then
    log "memory: $((big - sources)) more, to $big"
    bench memory memory-fillbig --op PutDeliverySource --distinct --first "$sources" \
      --requests "$((big - sources))" --warmup 0 --clients 16
    sleep 1
    put memory rss_big "$(rss_kib "${srv_pid[memory]}")"
  fi
  check_alive "$name"
  stop_pid "${srv_pid[$name]}"
done
has sqlite && put sqlite disk_sources "$(dir_bytes "$sqlite_dir")"
has postgres && put postgres disk_sources "$(pg_size "$pg_url")"

# ---- 3. $big imported into sqlite and postgres: import time, start-up, RSS, size. ----
sqlite_dir="$tmp/sqlite-big"
if has postgres; then pg_new big; fi
for name in "${durable[@]}"; do
  init_store "$name"
  case $name in
    sqlite) put sqlite disk_big_empty "$(dir_bytes "$sqlite_dir")" ;;
    postgres) put postgres disk_big_empty "$(pg_size "$pg_url")" ;;
  esac
  log "$name: cwlogd import of $big delivery sources"
  t0=$(now)
  case $name in
    sqlite) ok=0; "$bin" import --store sqlite --data-dir "$sqlite_dir" --in "$snapshot" 2>>"$tmp/$name.log" || ok=$? ;;
    postgres) ok=0; "$bin" import --store "$pg_url" --in "$snapshot" 2>>"$tmp/$name.log" || ok=$? ;;
  esac
  if [ "$ok" -eq 0 ]; then
    put "$name" import_s "$(since "$t0")"
  else
    put "$name" import_s "n/a"
    echo "$name: cwlogd import failed: $(tail -n 2 "$tmp/$name.log" | tr '\n' ' ')" >>"$res/notes"
  fi
done
if [ ${#durable[@]} -gt 0 ]; then
  log "start-up with $big stored: $starts starts of ${durable[*]}, interleaved"
  for i in $(seq 1 "$starts"); do
    for name in "${durable[@]}"; do
      time_start "$name" startup_big
      if [ "$i" -lt "$starts" ]; then stop_pid "${srv_pid[$name]}"; fi
    done
  done
  sleep 1
  for name in "${durable[@]}"; do
    put "$name" rss_big "$(rss_kib "${srv_pid[$name]}")"
    stop_pid "${srv_pid[$name]}"
  done
fi
# After the stop: the last connection to close checkpoints the WAL.
has sqlite && put sqlite disk_big "$(dir_bytes "$sqlite_dir")" && ls -l "$sqlite_dir" >"$res/sqlite.files"
if has postgres; then
  put postgres disk_big "$(pg_size "$pg_url")"
  pg_tables "$pg_url" >"$res/postgres.tables"
fi

# ---- 4. Log events: PutLogEvents on fresh servers, then a filled stream read. ----
sqlite_dir="$tmp/sqlite-logs"
has sqlite && init_store sqlite
if has postgres; then
  pg_new logs
  init_store postgres
fi
for name in "${active[@]}"; do run_server "$name"; done
for clients in 1 8; do
  log "PutLogEvents, $clients client(s): $duration per server after $warmup of warm-up"
  for name in "${active[@]}"; do
    bench "$name" "$name-PutLogEvents-$clients" --op PutLogEvents --clients "$clients" --duration "$duration" --warmup "$warmup"
  done
done
readers=()
for name in "${active[@]}"; do
  if [ "$name" != baseline ]; then readers+=("$name"); fi
done
if has baseline; then stop_pid "${srv_pid[baseline]}"; fi
# The fill is the setup of a first GetLogEvents run of a single request;
# every later run finds the stream full and reads it as it is.
for name in "${readers[@]}"; do
  log "$name: filling bench-read/s with $fill events"
  put "$name" rss_prefill "$(rss_kib "${srv_pid[$name]}")"
  bench "$name" "$name-logfill" --op GetLogEvents --fill "$fill" --requests 1 --warmup 0 --timeout 300s
  sleep 1
  put "$name" rss_logs "$(rss_kib "${srv_pid[$name]}")"
done
for cell in GetLogEvents FilterLogEvents-json FilterLogEvents-term; do
  log "$cell, 1 client: $read_duration per server after $warmup of warm-up"
  case $cell in
    GetLogEvents) extra=(--op GetLogEvents) ;;
    FilterLogEvents-json) extra=(--op FilterLogEvents --pattern '{ $.status = 500 }') ;;
    FilterLogEvents-term) extra=(--op FilterLogEvents --pattern ERROR) ;;
  esac
  for name in "${readers[@]}"; do
    bench "$name" "$name-$cell-1" "${extra[@]}" --fill "$fill" --duration "$read_duration" --warmup "$warmup" --timeout 300s
  done
done
check_alive "${readers[@]}"
for name in "${readers[@]}"; do stop_pid "${srv_pid[$name]}"; done

elapsed=$((SECONDS - script_start))
log "writing $out"
mkdir -p "$(dirname "$out")"
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
disk=$(findmnt -no SOURCE,FSTYPE --target "$tmp" 2>/dev/null | tr -s ' ' || echo unknown)
BM_RES=$res BM_OUT=$out BM_CPU=${cpu:-unknown} BM_NPROC=$(nproc) BM_GO=$(go version | sed 's/^go version //') \
  BM_MOTO=${moto_version:-not installed} BM_PG=${pg_version:-not reachable} BM_PG_SETTINGS=$pg_settings \
  BM_KERNEL=$(uname -sr) BM_DATE=$(date -u '+%Y-%m-%d %H:%M UTC') BM_ELAPSED=$elapsed BM_CMD=$command_line \
  BM_DURATION=$duration BM_WARMUP=$warmup BM_STARTS=$starts BM_SOURCES=$sources BM_BIG=$big BM_DISK=$disk \
  BM_FILL=$fill BM_READ_DURATION=$read_duration \
  python3 - <<'EOF'
import json, os, statistics

E = os.environ
res, out = E["BM_RES"], E["BM_OUT"]
sources, big = int(E["BM_SOURCES"]), int(E["BM_BIG"])
servers = ["memory", "sqlite", "postgres", "moto", "baseline"]
heads = ["cwlogd memory", "cwlogd sqlite", "cwlogd postgres", "moto", "baseline"]
stores = ["memory", "sqlite", "postgres"]

def read(name):
    try:
        with open(os.path.join(res, name)) as f:
            return f.read().strip()
    except OSError:
        return ""

notes = [l for l in read("notes").splitlines() if l]

def report(file):
    """The JSON report of one bench, or None with the reason when unusable."""
    txt = read(file + ".json")
    if not txt:
        return None, (read(file + ".err") or "no report").splitlines()[-1]
    r = json.loads(txt)
    if r["ok"] == 0:
        return None, r.get("first_error") or "no successful request"
    return r, ""

def num(v):
    try:
        return float(v)
    except ValueError:
        return None

def startup(name, file):
    vals = [v for v in read(name + "." + file).split()]
    ms = [float(v) for v in vals if v != "n/a"]
    if not ms:
        return None, ""
    return statistics.median(ms), ", ".join("%.1f" % v for v in ms) + ("" if len(ms) == len(vals) else " (and %d failed)" % (len(vals) - len(ms)))

def rss(name, what):
    v = num(read(name + "." + what) or "x")
    return v / 1024 if v is not None else None

def checked(r, why, what):
    if r is None:
        if why:
            notes.append("%s: n/a (%s)" % (what, why[:200]))
        return None
    if r["errors"]:
        notes.append("%s: %d of %d iterations failed, first: %s" % (what, r["errors"], r["requests"], r["first_error"][:200]))
    if r.get("stopped"):
        notes.append("%s: stopped early (%s)" % (what, r["stopped"]))
    return r

def cell(name, op, clients, key):
    r, why = report("%s-%s-%d" % (name, op, clients))
    r = checked(r, why if key == "requests_per_s" else "", "%s %s at %d client(s)" % (name, op, clients))
    return None if r is None else r.get(key)

def fmt(v, digits):
    if isinstance(v, str):
        return v
    return "n/a" if v is None else ("{:,.%df}" % digits).format(v)

def ratio(a, b):
    if not isinstance(a, float) or not isinstance(b, float) or b == 0:
        return "n/a"
    return "%.2f" % (a / b)

def table(title, unit, text, rows, digits, ratios=True):
    cols = heads[:]
    if ratios:
        cols += ["%s/moto" % s for s in stores] + ["%s/baseline" % s for s in stores]
    lines = ["### " + title, "",
             "| %s | %s |" % (unit, " | ".join(cols)),
             "|---|" + "---:|" * len(cols)]
    for row in rows:
        label, vals = row[0], row[1]
        d = row[2] if len(row) > 2 else digits
        vals = [float(v) if isinstance(v, (int, float)) else v for v in vals]
        cells = [fmt(v, d) for v in vals]
        if ratios and len(row) > 3 and not row[3]:
            cells += ["n/a"] * 6
        elif ratios:
            m, b = vals[3], vals[4]
            cells += [ratio(vals[i], m) for i in range(3)] + [ratio(vals[i], b) for i in range(3)]
        lines.append("| %s | %s |" % (label, " | ".join(cells)))
    lines += ["", text, ""]
    return "\n".join(lines)

parts = []
parts.append("""# Benchmarks

cwlogd, on each of its three stores, measured side by side with moto
(`moto_server`) and with a bare `net/http` handler that answers every request
with a fixed GetDeliverySource-sized body (`cwlogd bench --op baseline-server`):
the limit of what a Go HTTP server does on this machine. All figures come from
one run of `scripts/bench.sh` on a shared, noisy machine, with the load
generator (`cwlogd bench`) and PostgreSQL running on the same cores as the
server: the absolute numbers move from run to run, only the ratios between
servers measured in the same run mean much.

## Machine and run

| | |
|---|---|
| CPUs (nproc) | %(BM_NPROC)s |
| CPU model | %(BM_CPU)s |
| disk (the temporary directory: SQLite data) | %(BM_DISK)s |
| Go | %(BM_GO)s |
| moto | %(BM_MOTO)s |
| PostgreSQL | %(BM_PG)s, same machine, over TCP on 127.0.0.1 (%(BM_PG_SETTINGS)s) |
| kernel | %(BM_KERNEL)s |
| date | %(BM_DATE)s |
| script run time | %(BM_ELAPSED)s s |

Command, from the repository root:

```
%(BM_CMD)s
```

Every server listens on 127.0.0.1. cwlogd runs as `cwlogd serve --store memory`,
`cwlogd serve --store sqlite --data-dir DIR` (the default store: WAL,
`synchronous=FULL`, a write is on disk before it is answered) and
`cwlogd serve --store postgres://…/DB` (a fresh database for each part of the
run, dropped at the end); moto as `moto_server -H 127.0.0.1 -p PORT` (through
`python3 -m moto.server`, the same entry point without the launcher script),
logging each request to a file as it does by default; the baseline as
`cwlogd bench --op baseline-server`. Requests are SigV4-signed AWS JSON 1.1
calls (`X-Amz-Target: Logs_20140328.*`) over keep-alive connections.

The columns `STORE/moto` and `STORE/baseline` are cwlogd on that store divided
by moto, or by the baseline, in the same row.
""" % E)

parts.append("## Results\n")

su = {s: startup(s, "startup") for s in servers}
sb = {s: startup(s, "startup_big") for s in servers}
def big_start(s):
    if s in ("sqlite", "postgres"):
        return sb[s][0]
    return "n/a"
parts.append(table("Start-up time",
    "ms, median of %s starts" % E["BM_STARTS"],
    "From the server process's start to its first 2xx answer to a signed "
    "DescribeDeliverySources (polled every 0.5 ms). Lower is better. The empty sqlite "
    "and postgres stores already hold the schema (a start creates it on a new store); "
    "the %s delivery sources were loaded with `cwlogd import` beforehand. Nothing "
    "survives a restart of the memory store, nor of moto: their second row is n/a. "
    "Every start, empty: " % format(big, ",") +
    "; ".join("%s %s" % (h, su[s][1] or "n/a") for s, h in zip(servers, heads)) +
    ". With %s stored: " % format(big, ",") +
    "; ".join("%s %s" % (h, sb[s][1] or "n/a") for s, h in zip(servers, heads) if s in ("sqlite", "postgres")) + ".",
    [("empty store", [su[s][0] for s in servers]),
     ("%s delivery sources stored" % format(big, ","), [big_start(s) for s in servers])], 1))

# Filling.
fill = {}
for s in servers:
    r, why = report(s + "-fill")
    fill[s] = checked(r, why, "%s: creating %d delivery sources" % (s, sources))
rb, why = report("memory-fillbig")
rb = checked(rb, why, "memory: creating %d more delivery sources" % (big - sources))
def fill_s(s):
    r = fill[s]
    return None if r is None else r["elapsed_s"]
def fill_rps(s):
    r = fill[s]
    return None if r is None else r["requests_per_s"]
big_fill = []
for s in servers:
    if s == "memory":
        big_fill.append(None if rb is None or fill["memory"] is None else rb["elapsed_s"] + fill["memory"]["elapsed_s"])
    elif s in ("sqlite", "postgres"):
        big_fill.append(num(read(s + ".import_s") or "x"))
    else:
        big_fill.append("n/a")
parts.append(table("Filling the store",
    "s",
    "First row: %s PutDeliverySource calls with distinct names through the API, 16 "
    "clients, on a fresh server (the second row gives the same as calls/s). Third row: "
    "%s delivery sources, for the memory store through the API the same way (the "
    "first %s then the rest), for sqlite and postgres with `cwlogd import --in FILE` "
    "(one transaction, from an export file the script generates), into an empty store, "
    "the wall time of the whole `cwlogd import` process. The baseline stores nothing; "
    "moto was not filled to %s: at its rate that alone would take minutes. "
    "Lower is better for seconds, higher for calls/s."
    % (format(sources, ","), format(big, ","), format(sources, ","), format(big, ",")),
    [("%s sources through the API" % format(sources, ","), [fill_s(s) for s in servers]),
     ("the same, calls/s", [fill_rps(s) for s in servers]),
     ("%s sources (API for memory, `cwlogd import` for sqlite and postgres)" % format(big, ","), big_fill)], 2))

def rss_big(s):
    if s == "moto":
        return "not measured"
    if s == "baseline":
        return "n/a"
    return rss(s, "rss_big")
parts.append(table("Memory",
    "RSS, MiB",
    "VmRSS of the server process from /proc/PID/status. Idle: after start-up on an "
    "empty store and at least a second of idling. Second row: a fresh server after "
    "%s PutDeliverySource calls with distinct names (16 clients); the baseline stores "
    "nothing, its figure is only the cost of having served as many requests. Third row: "
    "memory after %s such calls; sqlite and postgres restarted on a store holding %s "
    "imported sources, after their first answer and a second of idling (they keep the "
    "records on disk and read them on demand; the PostgreSQL server's own processes are "
    "not counted). moto was not filled to %s. Lower is better."
    % (format(sources, ","), format(big, ","), format(big, ","), format(big, ",")),
    [("idle, empty store", [rss(s, "rss_idle") for s in servers]),
     ("after %s delivery sources through the API" % format(sources, ","), [rss(s, "rss_sources") for s in servers]),
     ("with %s delivery sources" % format(big, ","), [rss_big(s) for s in servers])], 1))

# Disk.
def disk(s, key):
    v = read(s + "." + key)
    if not v:
        return None
    f = v.split()
    return [float(x) for x in f]
def per10k(s, full, empty, n, i):
    a, b = disk(s, full), disk(s, empty)
    if a is None or b is None:
        return None
    return (a[i] - b[i]) * 10000 / n / 2**20
def mib(s, key, i):
    v = disk(s, key)
    return None if v is None else v[i] / 2**20
lines = ["### On-disk size", "",
         "| MiB | cwlogd memory | cwlogd sqlite | cwlogd postgres (tables) | cwlogd postgres (database) | moto |",
         "|---|---:|---:|---:|---:|---:|"]
drows = [
    ("empty store (schema only)", [mib("sqlite", "disk_empty", 0), mib("postgres", "disk_empty", 1), mib("postgres", "disk_empty", 0)]),
    ("per 10,000 sources created through the API (%s created)" % format(sources, ","),
     [per10k("sqlite", "disk_sources", "disk_empty", sources, 0), per10k("postgres", "disk_sources", "disk_empty", sources, 1), per10k("postgres", "disk_sources", "disk_empty", sources, 0)]),
    ("per 10,000 sources imported (%s imported)" % format(big, ","),
     [per10k("sqlite", "disk_big", "disk_big_empty", big, 0), per10k("postgres", "disk_big", "disk_big_empty", big, 1), per10k("postgres", "disk_big", "disk_big_empty", big, 0)]),
    ("total with %s sources" % format(big, ","), [mib("sqlite", "disk_big", 0), mib("postgres", "disk_big", 1), mib("postgres", "disk_big", 0)]),
]
for label, (a, b, c) in drows:
    lines.append("| %s | 0 (nothing kept) | %s | %s | %s | 0 (nothing kept) |" % (label, fmt(a, 2), fmt(b, 2), fmt(c, 2)))
tables_pg = read("postgres.tables")
sqlite_files = " ".join(l.split()[-1] + " " + l.split()[4] for l in read("sqlite.files").splitlines()[1:])
lines += ["",
    "sqlite: the bytes of every file in the data directory (`du -sb`), measured after the "
    "server stopped, so the WAL is checkpointed into the database and removed (with "
    "%s: %s). postgres: the sum of `pg_total_relation_size` (heap, indexes, TOAST) of "
    "cwlogd's tables, and the growth of `pg_database_size`. Per 10,000: the growth over the "
    "empty store, scaled. The tables with %s imported sources, bytes: %s."
    % (format(big, ","), sqlite_files or "n/a", format(big, ","), tables_pg or "n/a"), ""]
parts.append("\n".join(lines))

cells = [(op, c) for op in ("PutDeliverySource", "CreateDeleteDelivery", "GetDeliverySource") for c in (1, 16)]
def label(op, c):
    what = {"PutDeliverySource": "PutDeliverySource (new source)",
            "CreateDeleteDelivery": "CreateDeleteDelivery (2 writes)",
            "GetDeliverySource": "GetDeliverySource"}[op]
    return "%s, %d client%s" % (what, c, "" if c == 1 else "s")
def rows(key):
    return [(label(op, c), [cell(s, op, c, key) for s in servers]) for op, c in cells]
parts.append(table("Throughput", "requests/s (iterations/s)",
    "%s per cell after %s of warm-up, servers measured one after the other for each "
    "cell, in the order of the rows, all on the stores they started with empty (so the "
    "later cells run on stores holding the sources the PutDeliverySource cells created, "
    "as many as each server managed). Higher is better; a ratio above 1 "
    "means cwlogd serves more. PutDeliverySource uses `--distinct`: every request, "
    "warm-up included, creates a source no earlier request created (each cell numbers "
    "its names from its own `--first`), so on sqlite and postgres every one is a durable "
    "insert. CreateDeleteDelivery counts iterations: CreateDelivery then DeleteDelivery "
    "of the delivery just created, two requests and two durable writes each (every "
    "client has its own delivery source). The baseline answers CreateDelivery with a "
    "fixed delivery body, so its row is two bare round trips. GetDeliverySource reads "
    "one source."
    % (E["BM_DURATION"], E["BM_WARMUP"]),
    rows("requests_per_s"), 0))
parts.append(table("Latency p50", "ms",
    "Median time of one request (one iteration: two requests for CreateDeleteDelivery) "
    "as the client sees it, in the same cells. Lower is better; a ratio below 1 means "
    "cwlogd answers faster.",
    rows("p50_ms"), 3))
parts.append(table("Latency p99", "ms",
    "99th percentile of the same requests. Lower is better.",
    rows("p99_ms"), 3))

# Log events.
fill = int(E["BM_FILL"])
def logcell(s, cellname, key):
    if s == "baseline" and not cellname.startswith("PutLogEvents"):
        return "n/a"
    c = 1
    if cellname.endswith("-8"):
        cellname, c = cellname[:-2], 8
    return cell(s, cellname, c, key)
put_rows = []
for c in (1, 8):
    cl = "1 client" if c == 1 else "%d clients" % c
    name = "PutLogEvents" + ("" if c == 1 else "-8")
    put_rows += [("requests/s, " + cl, [logcell(s, name, "requests_per_s") for s in servers], 1),
                 ("events/s, " + cl, [logcell(s, name, "events_per_s") for s in servers], 0),
                 ("MB/s of messages, " + cl, [logcell(s, name, "mb_per_s") for s in servers], 1),
                 ("latency p50, ms, " + cl, [logcell(s, name, "p50_ms") for s in servers], 3),
                 ("latency p99, ms, " + cl, [logcell(s, name, "p99_ms") for s in servers], 3)]
parts.append(table("Log ingestion: PutLogEvents", "batches of 1,000 events of 200 bytes",
    "On fresh servers (new SQLite directory, new PostgreSQL database, new moto), %s per "
    "cell after %s of warm-up, servers one after the other for each cell. Every request puts one batch of 1,000 events to its client's own "
    "stream (`bench-stream-N` of group `bench-logs`); each message is a 200-byte "
    "access-log-like line of printable ASCII. The timestamps move on with every batch "
    "(the first spans the last hour, each later one the time since the one before, in "
    "order), as an agent shipping a log file would send them, so the load generator "
    "rewrites them, hashes and signs every request afresh (about 0.15 ms of its CPU per "
    "batch, on the same cores as the server). requests/s: batches answered per second; "
    "events/s: 1,000 times the successful ones; MB/s: the message bytes they carried, in "
    "10^6 bytes (200 × events/s), the JSON around them not counted. Latency: of one "
    "batch. Higher is better for rates, lower for latency. The baseline reads and "
    "discards each body, stores nothing: the cost of moving the bytes through HTTP and of "
    "the load generator itself. moto appends the events to a Python list in memory, so "
    "compare it with the memory store; sqlite and postgres have each batch on disk "
    "before they answer."
    % (E["BM_DURATION"], E["BM_WARMUP"]), put_rows, 0))

def fillfig(s, key):
    if s == "baseline":
        return "n/a"
    r, why = report(s + "-logfill")
    r = checked(r, why if key == "fill_s" else "", "%s: filling the read stream with %d events" % (s, fill))
    if r is None or not r.get("fill_events"):
        return None
    if r.get("stream_events") != fill:
        notes.append("%s: the read stream holds %s events, not %d" % (s, r.get("stream_events"), fill))
    if key == "rate":
        return r["fill_events"] / r["fill_s"]
    return r[key]
def span_text(n):
    secs = n / 1000
    return "%.0f seconds" % secs if secs < 120 else "%.0f minutes" % (secs / 60)
def pages_text():
    got = []
    for key in ("json", "term"):
        for s, h in zip(servers, heads):
            if s == "baseline":
                continue
            r, _ = report("%s-FilterLogEvents-%s-1" % (s, key))
            if r and r.get("pages_per_iteration"):
                got.append((h, key, r["pages_per_iteration"]))
    if got and all(p == 1 for _, _, p in got):
        return "on every server here"
    return "or not: requests per iteration " + ", ".join("%s %s %.2f" % g for g in got)
def rss_logs(s):
    return "n/a" if s == "baseline" else rss(s, "rss_logs")
def rss_fill(s):
    if s == "baseline":
        return "n/a"
    a, b = rss(s, "rss_logs"), rss(s, "rss_prefill")
    return None if a is None or b is None else a - b
read_rows = [
    ("fill: %s events, s" % format(fill, ","), [fillfig(s, "fill_s") for s in servers], 2),
    ("fill: events/s", [fillfig(s, "rate") for s in servers], 0),
    ("RSS growth from the fill, MiB", [rss_fill(s) for s in servers], 1),
    ("RSS once filled, MiB (PutLogEvents cells' events included)", [rss_logs(s) for s in servers], 1),
    ("GetLogEvents: requests/s", [logcell(s, "GetLogEvents", "requests_per_s") for s in servers], 1),
    ("GetLogEvents: events read/s", [logcell(s, "GetLogEvents", "events_per_s") for s in servers], 0),
    ("GetLogEvents: latency p50, ms", [logcell(s, "GetLogEvents", "p50_ms") for s in servers], 3),
    ("GetLogEvents: latency p99, ms", [logcell(s, "GetLogEvents", "p99_ms") for s in servers], 3),
]
for key, what in (("json", "`{ $.status = 500 }`"), ("term", "`ERROR`")):
    cn = "FilterLogEvents-" + key
    read_rows += [
        ("FilterLogEvents %s: iterations/s" % what, [logcell(s, cn, "requests_per_s") for s in servers], 1),
        ("FilterLogEvents %s: events scanned/s" % what, [logcell(s, cn, "events_per_s") for s in servers], 0),
        ("FilterLogEvents %s: latency p50 of an iteration, ms" % what, [logcell(s, cn, "p50_ms") for s in servers], 3),
        ("FilterLogEvents %s: latency p99 of an iteration, ms" % what, [logcell(s, cn, "p99_ms") for s in servers], 3),
        ("FilterLogEvents %s: events returned per iteration" % what, [logcell(s, cn, "matched_per_iteration") for s in servers], 1, False),
    ]
parts.append(table("Reading log events: GetLogEvents and FilterLogEvents", "1 client",
    "After the PutLogEvents cells, on the same servers, the load generator fills one "
    "stream (`bench-read`/`s`) of each server with %s events through PutLogEvents "
    "(batches of 10,000 events, one client; the fill rows time it), one a millisecond from three "
    "hours before (%s events span %s). Half the messages are JSON lines such as "
    "`{\"status\":200,\"latency\":12,\"path\":\"/api/orders\",\"user\":\"u123\"}`, one in "
    "1,000 of them with status 500; the other half text lines such as "
    "`[INFO] GET /api/orders 200 12ms`, one in 1,000 of them an `[ERROR]` line. Every "
    "window of 10,000 consecutive events thus holds 5 events of each kind of error. "
    "RSS: how much the server's VmRSS grew with the fill (a second after it, over just "
    "before it), which compares servers holding the same events, then the VmRSS once "
    "filled, which does not quite: each server also holds the events of its "
    "PutLogEvents cells, as many as it managed. Then %s per cell after %s of warm-up, one client. **GetLogEvents**: "
    "one request per iteration, a page of 1,000 events forwards (`startFromHead`) from a "
    "`startTime` that differs every iteration, spread over the whole stream; the load "
    "generator checks the page is full and starts at that time. events read/s = 1,000 × "
    "requests/s. **FilterLogEvents**: one iteration searches the group over a window of "
    "10,000 consecutive timestamps (`startTime`, `endTime`), again at a different place "
    "every time, with the pattern, following `nextToken` until an answer has none (one "
    "request sufficed %s); events scanned/s = 10,000 × iterations/s, "
    "latency is that of the whole iteration. Events returned per iteration shows what "
    "each server found: 5 is right for both patterns. moto does not implement JSON "
    "patterns (its filter knows single terms, several terms and quoted phrases, and "
    "matches every event with any other pattern): its JSON row returns the whole "
    "window, 10,000 events, which it also has to serialize. moto keeps a stream's events "
    "in a Python list that every GetLogEvents and FilterLogEvents call walks from end to "
    "end (GetLogEvents also sorts every event after its `startTime`), so its cost per "
    "call grows with the stream. Higher is better "
    "for rates, lower for seconds, MiB and latency; the baseline stores nothing and "
    "takes no part."
    % (format(fill, ","), format(fill, ","), span_text(fill), E["BM_READ_DURATION"], E["BM_WARMUP"], pages_text()),
    read_rows, 0))

x = read("postgres.xacts").split()
if len(x) == 2:
    notes.append("postgres: over the start-ups and throughput cells, the database committed %s "
                 "transactions and rolled back %s (pg_stat_database): a rollback is mostly a "
                 "serializable transaction that lost a race and was run again." % (x[0], x[1]))
if notes:
    parts.append("### Notes on this run\n\n" + "\n".join("- " + n for n in notes) + "\n")

parts.append("""## What the write path does

Every write is one store transaction (`Store.Update`) that either commits as a
whole or not at all, and is answered only once it has; a PutLogEvents batch is
one such write, all its events or none.

**sqlite** (the default): one writer connection, `BEGIN IMMEDIATE`, WAL with
`synchronous=FULL`, so a write is on disk before it is answered. Updates that
arrive together share one transaction, each inside its own savepoint, so each
still commits or rolls back on its own while the batch pays for one commit,
that is one fsync (group commit, at most 256 Updates a batch). The statements
are prepared once, when the store opens, not per request. Per-scope record
counts are kept by triggers (schema version 2), so a quota check reads one row
instead of counting the scope: O(1) whatever the store holds. Reads go through
a separate pool of read-only connections, which WAL lets run alongside the
writer. With 16 clients, the writes arriving while one batch commits form the
next batch: hence PutDeliverySource scaling with clients while each client
still waits for its fsync.

**postgres**: every Update is a `SERIALIZABLE` transaction, the same SQL and
triggers as sqlite. When PostgreSQL reports a serialization failure or a
deadlock, the transaction is run again with jittered backoff; a retry runs
alone (it takes the writers' advisory lock in exclusive mode before it begins,
where first attempts hold it in shared mode), so it cannot lose the same race
again and again. Per-scope counts are spread over 32 count rows picked at
random, and quota checks read them at READ COMMITTED outside the transaction,
so creates in one scope seldom write the same row and never conflict through
the count; they still conflict through the serializable predicate locks on the
tables' index pages they read (is there a record of this name? a delivery of
this type?), and a write that lost is retried alone: more clients mostly add
retries, which is why PutDeliverySource and CreateDeleteDelivery do not gain
from 16 clients. Each commit waits for PostgreSQL's own WAL flush
(`synchronous_commit`), and every statement is a round trip over TCP.
`cwlogd import` runs the whole import as one transaction.

**memory**: maps behind one lock, with an undo log to roll a failed
transaction back; nothing is written anywhere.

## How to reproduce

```
scripts/bench.sh                                   # writes docs/benchmarks.md
BENCH_DURATION=10s BENCH_OUT=/tmp/b.md scripts/bench.sh   # longer cells, elsewhere
BENCH_PG=postgres://user@host:5432 BENCH_PG_ADMIN_DB=postgres scripts/bench.sh
```

It needs Go, python3 (for free ports, the export file and this report), for the
postgres column `psql` and a PostgreSQL server it may create databases on
(it creates `cwlogd_bench_PID_*` and drops them on exit), and for the moto
column moto installed for python3 or `moto_server` on PATH. It builds cwlogd
once, starts every server on free loopback ports, stops them all on exit and
took %(BM_MINUTES)s minutes in the run above%(PG_IMPORT)s. Single
measurements:

```
cwlogd serve --listen 127.0.0.1:4566 --store sqlite --data-dir /tmp/cw &
cwlogd bench --endpoint http://127.0.0.1:4566 --op GetDeliverySource --clients 16 --duration 5s
cwlogd bench --endpoint http://127.0.0.1:4566 --op PutDeliverySource --distinct --first 0 --requests 10000 --warmup 0
cwlogd bench --endpoint http://127.0.0.1:4566 --op CreateDeleteDelivery --clients 16 --duration 5s
cwlogd bench --endpoint http://127.0.0.1:4566 --op PutLogEvents --clients 8 --batch 1000 --event-size 200
cwlogd bench --endpoint http://127.0.0.1:4566 --op GetLogEvents --fill 1000000 --page 1000
cwlogd bench --endpoint http://127.0.0.1:4566 --op FilterLogEvents --window 10000 --pattern '{ $.status = 500 }'
cwlogd bench --op baseline-server --listen 127.0.0.1:4567
cwlogd export --store sqlite --data-dir /tmp/cw --out state.json
cwlogd import --store postgres://postgres@127.0.0.1:5432/x --in state.json
```

`cwlogd bench -h` lists every flag (`--op DescribeDeliveries` is there too, and
`--json` for machine-readable reports).
""" % {"BM_MINUTES": "%.1f" % (int(E["BM_ELAPSED"]) / 60),
       "PG_IMPORT": (", %s s of it the PostgreSQL import" % read("postgres.import_s")) if num(read("postgres.import_s") or "x") else ""})

with open(out, "w") as f:
    f.write("\n".join(parts))
EOF
log "done in $((SECONDS - script_start)) s: $out"
