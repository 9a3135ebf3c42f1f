#!/usr/bin/env bash
# make load / make chaos: the addon served by a multi-worker Odoo with a
# PostgreSQL streaming replica, under a bounded loopback-only load (locust),
# then an integrity check and failure tests.
#
#   bench/load/load.sh load    clusters, database, load with workers, the same
#                              load on a single-process server, integrity
#                              check, then the failure tests
#   bench/load/load.sh chaos   clusters, database, the failure tests only
#
# It never touches the PostgreSQL cluster Odoo uses otherwise: it makes its
# own pair with Debian's pg_createcluster (created once, kept, reused):
#   iso10002-load-primary  on LOAD_PG_PRIMARY_PORT (5440), wal_level=replica,
#                          pg_stat_statements preloaded
#   iso10002-load-replica  on LOAD_PG_REPLICA_PORT (5441), a hot standby made
#                          by pg_basebackup -R, streaming from the primary
# Everything it starts (Odoo servers, the cron process, an SMTP sink, the two
# clusters) is stopped at the end, also on failure or Ctrl-C.
#
# Knobs: LOAD_SECONDS (per load run, default 120, at most 180), LOAD_USERS
# (simulated users, default 24, at most 100), LOAD_WARMUP (seconds of load
# before each measured run, default 20, at most 60), LOAD_WORKERS (4), LOAD_DB,
# LOAD_HTTP_PORT (8211; +1 gevent, +2 the single-process server, +3 its
# gevent), LOAD_SMTP_PORT (8219), LOAD_PG_VERSION, LOAD_CHAOS=0 to skip the
# failure tests in `load`.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here"
mode=${1:-load}

ISO_HOME=${ISO_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/iso10002_complaints}
LOCUST_VENV=${LOCUST_VENV:-$ISO_HOME/venv-locust}
PY="$(cat var/venv)/bin/python"
# the servers run from a launcher script, not `python -m odoo`: a prefork
# server starts its gevent process again from its own argv[0] (see the
# launcher for why not the env's `odoo` script)
ODOO_BIN="bench/load/odoo_launcher.py"
PG_VERSION=${LOAD_PG_VERSION:-$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -1)}
PRIMARY=iso10002-load-primary
REPLICA=iso10002-load-replica
PRIMARY_PORT=${LOAD_PG_PRIMARY_PORT:-5440}
REPLICA_PORT=${LOAD_PG_REPLICA_PORT:-5441}
DB=${LOAD_DB:-iso10002_load}
HTTP_PORT=${LOAD_HTTP_PORT:-8211}
SINGLE_PORT=$((HTTP_PORT + 2))
SMTP_PORT=${LOAD_SMTP_PORT:-8219}
WORKERS=${LOAD_WORKERS:-4}
SECONDS_PER_RUN=${LOAD_SECONDS:-120}
USERS=${LOAD_USERS:-24}
WARMUP_SECONDS=${LOAD_WARMUP:-20}
CONF=var/odoo-load.conf
OUT=var/load/$(date +%Y%m%d-%H%M%S)

log() { printf '[load] %s\n' "$*" >&2; }
die() { printf '[load] ERROR: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
psql_on() { # port db sql
  as_postgres psql -h /var/run/postgresql -p "$1" -d "$2" -XqtA -v ON_ERROR_STOP=1 -c "$3"
}

[ "$SECONDS_PER_RUN" -le 180 ] || die "LOAD_SECONDS is at most 180 (bounded load)"
[ "$WARMUP_SECONDS" -le 60 ] || die "LOAD_WARMUP is at most 60 (bounded load)"
[ "$USERS" -le 100 ] || die "LOAD_USERS is at most 100 (bounded load)"

# --------------------------------------------------------------------------
# Tools: PostgreSQL server packages, locust in its own env (it needs a newer
# gevent than the one Odoo 18 pins, so not in Odoo's env)
# --------------------------------------------------------------------------
tools() {
  if ! command -v pg_createcluster >/dev/null || [ -z "$PG_VERSION" ]; then
    log "installing PostgreSQL"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      postgresql postgresql-client postgresql-contrib >/dev/null
    PG_VERSION=$(ls /usr/lib/postgresql | sort -V | tail -1)
  fi
  if [ ! -x "$LOCUST_VENV/bin/locust" ] || [ ! -x "$LOCUST_VENV/bin/aiosmtpd" ]; then
    log "creating the locust env $LOCUST_VENV"
    python3 -m venv "$LOCUST_VENV"
    "$LOCUST_VENV/bin/pip" install -q --upgrade pip
    "$LOCUST_VENV/bin/pip" install -q -r bench/load/requirements.txt
  fi
}

# --------------------------------------------------------------------------
# The two clusters
# --------------------------------------------------------------------------
cluster_field() { # name column: 3 port, 4 status, 6 data directory
  pg_lsclusters -h | awk -v v="$PG_VERSION" -v n="$1" -v c="$2" '$1 == v && $2 == n {print $c}'
}

cluster_conf() { # name extra-lines
  local dir=/etc/postgresql/$PG_VERSION/$1/conf.d
  as_root mkdir -p "$dir"
  as_root tee "$dir/iso10002-load.conf" >/dev/null <<CONF
# written by bench/load/load.sh
listen_addresses = 'localhost'
max_connections = 200
wal_level = replica
max_wal_senders = 5
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.max = 10000
pg_stat_statements.track = top
$2
CONF
}

cluster_start() {
  if [[ "$(cluster_field "$1" 4)" != online* ]]; then
    as_root pg_ctlcluster "$PG_VERSION" "$1" start
  fi
}

clusters() {
  if [ -z "$(cluster_field $PRIMARY 3)" ]; then
    log "creating the cluster $PG_VERSION/$PRIMARY on port $PRIMARY_PORT"
    as_root pg_createcluster "$PG_VERSION" "$PRIMARY" --port "$PRIMARY_PORT" >/dev/null
  fi
  cluster_conf "$PRIMARY" ""
  cluster_start "$PRIMARY"
  if [ "$(psql_on "$PRIMARY_PORT" postgres "SELECT 1 FROM pg_roles WHERE rolname = 'odoo'")" != "1" ]; then
    psql_on "$PRIMARY_PORT" postgres "CREATE ROLE odoo LOGIN CREATEDB PASSWORD 'odoo'"
  fi
  if [ -z "$(cluster_field $REPLICA 3)" ]; then
    log "creating the streaming replica $PG_VERSION/$REPLICA on port $REPLICA_PORT"
    as_root pg_createcluster "$PG_VERSION" "$REPLICA" --port "$REPLICA_PORT" >/dev/null
    local data
    data=$(cluster_field $REPLICA 6)
    as_root find "$data" -mindepth 1 -delete
    as_postgres pg_basebackup -h /var/run/postgresql -p "$PRIMARY_PORT" -D "$data" \
      -R -X stream -c fast
  fi
  # hot_standby_feedback: long reports on the replica are not cancelled by
  # the primary's vacuum
  cluster_conf "$REPLICA" "hot_standby = on
hot_standby_feedback = on"
  cluster_start "$REPLICA"
  for _ in $(seq 1 30); do
    [ "$(psql_on "$REPLICA_PORT" postgres "SELECT pg_is_in_recovery()")" = "t" ] && break
    sleep 1
  done
  [ "$(psql_on "$PRIMARY_PORT" postgres "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" -ge 1 ] \
    || die "the replica $REPLICA does not stream from $PRIMARY (see /var/log/postgresql/)"
}

stop_clusters() {
  for name in $REPLICA $PRIMARY; do
    if [[ "$(cluster_field "$name" 4)" == online* ]]; then
      as_root pg_ctlcluster "$PG_VERSION" "$name" stop -m fast || true
    fi
  done
}

# --------------------------------------------------------------------------
# Odoo: configuration, database, servers
# --------------------------------------------------------------------------
odoo_conf() {
  grep -Ev '^(db_host|db_port|http_port|data_dir|list_db|log_level|max_cron_threads|workers)\b' \
    var/odoo.conf >"$CONF"
  cat >>"$CONF" <<CONF
db_host = localhost
db_port = $PRIMARY_PORT
db_replica_host = localhost
db_replica_port = $REPLICA_PORT
db_maxconn = 16
db_name = $DB
dbfilter = ^$DB\$
list_db = False
data_dir = $here/var/filestore-load
http_port = $HTTP_PORT
gevent_port = $((HTTP_PORT + 1))
workers = $WORKERS
max_cron_threads = 0
limit_time_cpu = 120
limit_time_real = 240
limit_memory_soft = 1073741824
limit_memory_hard = 1610612736
log_level = info
smtp_server = 127.0.0.1
smtp_port = $SMTP_PORT
CONF
}

database() {
  local state stamp
  state=$("$PY" tools/dbstate.py "$CONF" "$DB")
  stamp=$(git ls-files -s iso10002_complaints | sha1sum | cut -c1-16)-$(git diff HEAD -- iso10002_complaints | sha1sum | cut -c1-16)
  case "$state" in
    missing|not-installed)
      log "installing the addon with demo data into $DB (on the load primary)"
      "$PY" -m odoo -c "$CONF" -d "$DB" -i iso10002_complaints --stop-after-init \
        --with-demo --workers 0 --no-http --log-level=warn ;;
    installed)
      if [ "$(cat var/load/db-stamp 2>/dev/null)" != "$stamp" ]; then
        log "updating the addon in $DB (the code changed)"
        "$PY" -m odoo -c "$CONF" -d "$DB" -u iso10002_complaints --stop-after-init \
          --workers 0 --no-http --log-level=warn
      fi ;;
  esac
  mkdir -p var/load
  echo "$stamp" >var/load/db-stamp
  psql_on "$PRIMARY_PORT" "$DB" "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
  log "seeding the load users"
  "$PY" -m odoo shell -c "$CONF" -d "$DB" --no-http --workers 0 --log-level=warn \
    <bench/load/seed_load.py | tail -1 >"$OUT/fixtures.json"
  "$PY" -c 'import json,sys; json.load(open(sys.argv[1]))' "$OUT/fixtures.json" \
    || die "seeding failed"
}

PIDS=()
started() { PIDS+=("$1"); echo "$1" >"$OUT/$2.pid"; }

stop_pid() { # pid: TERM, then KILL after 20 s; only a process this script started
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -Eq "odoo-load\.conf|aiosmtpd" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  kill -KILL "$pid" 2>/dev/null || true
}

stop_named() { # name
  stop_pid "$(cat "$OUT/$1.pid")"
  rm -f "$OUT/$1.pid"
}

wait_http() { # port
  for _ in $(seq 1 180); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/web/login")" = "200" ] && return 0
    sleep 1
  done
  die "no Odoo server answers on 127.0.0.1:$1"
}

start_http() { # name port workers
  # a worker serves one request at a time; a single process one per thread
  local maxconn=16
  [ "$3" -gt 0 ] || maxconn=64
  "$PY" "$ODOO_BIN" -c "$CONF" -d "$DB" --http-port "$2" --gevent-port "$(($2 + 1))" \
    --workers "$3" --max-cron-threads 0 --db_maxconn "$maxconn" \
    --logfile "$here/$OUT/$1.log" &
  started $! "$1"
  wait_http "$2"
  # the first renders compile templates and bundles: not part of the figures
  for url in /complaints /complaints/new /web/login; do
    curl -s -o /dev/null "http://127.0.0.1:$2$url"
  done
}

start_cron() {
  # prefork, without HTTP: its master starts the cron worker again when it
  # dies (the cron thread of a single-process server ends for good when its
  # database connection breaks, e.g. when the primary restarts)
  "$PY" "$ODOO_BIN" -c "$CONF" -d "$DB" --no-http --workers 1 --max-cron-threads 1 \
    --logfile "$here/$OUT/cron.log" &
  started $! cron
}

smtp_sink() {
  "$LOCUST_VENV/bin/aiosmtpd" -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Sink &
  started $! smtp
}

cleanup() {
  local status=$?
  set +e
  # the pid files too: the failure tests restart the cron process
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${PIDS[i]}"; done
  for pidfile in "$OUT"/*.pid; do
    [ -f "$pidfile" ] && stop_pid "$(cat "$pidfile")"
  done
  stop_clusters
  [ $status -eq 0 ] || log "failed; logs in $OUT"
  exit $status
}

# --------------------------------------------------------------------------
# Load runs
# --------------------------------------------------------------------------
reset_stats() {
  psql_on "$PRIMARY_PORT" "$DB" "SELECT pg_stat_statements_reset()" >/dev/null
  psql_on "$REPLICA_PORT" "$DB" "SELECT pg_stat_statements_reset()" >/dev/null
}

statement_calls() { # port -> "all select"
  psql_on "$1" "$DB" "SELECT coalesce(sum(calls), 0), coalesce(sum(calls) FILTER (WHERE query ~* '^\s*(select|with)'), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '$DB'" | tr '|' ' '
}

warm_up() { # name port: each worker compiles its templates and fills its
  # caches on its first requests; not part of the figures
  log "warming up '$1' for ${WARMUP_SECONDS}s"
  LOAD_FIXTURES="$OUT/fixtures.json" LOAD_TOKENS="$OUT/tokens.txt" LOAD_DB="$DB" \
    "$LOCUST_VENV/bin/locust" -f bench/load/locustfile.py --headless \
    -u "$USERS" -r "$USERS" -t "${WARMUP_SECONDS}s" --stop-timeout 15 \
    --host "http://127.0.0.1:$2" --only-summary --exit-code-on-error 0 \
    >"$OUT/$1-warmup-locust.txt" 2>&1
}

run_locust() { # name port
  warm_up "$1" "$2"
  log "load '$1': $USERS users for ${SECONDS_PER_RUN}s on 127.0.0.1:$2"
  reset_stats
  local from
  from=$(wc -l <"$OUT/$1.log")
  LOAD_FIXTURES="$OUT/fixtures.json" LOAD_TOKENS="$OUT/tokens.txt" LOAD_DB="$DB" \
    "$LOCUST_VENV/bin/locust" -f bench/load/locustfile.py --headless \
    -u "$USERS" -r "$USERS" -t "${SECONDS_PER_RUN}s" --stop-timeout 15 \
    --host "http://127.0.0.1:$2" --csv "$OUT/$1" --only-summary \
    --exit-code-on-error 0 >"$OUT/$1-locust.txt" 2>&1
  echo "$(statement_calls "$PRIMARY_PORT") $(statement_calls "$REPLICA_PORT")" >"$OUT/$1-statements.txt"
  tail -n +"$((from + 1))" "$OUT/$1.log" >"$OUT/$1-run.log"
}

report() { # name
  "$PY" bench/load/report.py "$OUT" "$1"
}

integrity() { # since-file logs...
  "$PY" bench/load/integrity.py --config "$CONF" --db "$DB" --tokens "$OUT/tokens.txt" "$@"
}

main() {
  mkdir -p "$OUT"
  : >"$OUT/tokens.txt"
  tools
  trap cleanup EXIT INT TERM
  clusters
  odoo_conf
  database
  smtp_sink
  start_cron
  local status=0
  if [ "$mode" = "load" ]; then
    start_http workers "$HTTP_PORT" "$WORKERS"
    run_locust workers "$HTTP_PORT"
    stop_named workers
    start_http single "$SINGLE_PORT" 0
    run_locust single "$SINGLE_PORT"
    stop_named single
    report workers
    report single
    "$PY" bench/load/report.py "$OUT" ratio workers single
    echo
    echo "== integrity after the load"
    integrity --logs "$OUT/workers-run.log" "$OUT/single-run.log" "$OUT/cron.log" || status=1
  fi
  if [ "$mode" = "chaos" ] || [ "${LOAD_CHAOS:-1}" = "1" ]; then
    start_http chaos "$HTTP_PORT" "$WORKERS"
    echo
    echo "== failure tests"
    LOAD_FIXTURES="$OUT/fixtures.json" "$PY" bench/load/chaos.py \
      --out "$OUT" --config "$CONF" --db "$DB" --url "http://127.0.0.1:$HTTP_PORT" \
      --master-pid "$(cat "$OUT/chaos.pid")" --cron-pid-file "$OUT/cron.pid" \
      --odoo-bin "$ODOO_BIN" \
      --pg-version "$PG_VERSION" --primary "$PRIMARY" --replica "$REPLICA" \
      --primary-port "$PRIMARY_PORT" \
      || status=1
    echo
    echo "== integrity after the failure tests"
    integrity --chaos || status=1
  fi
  echo
  echo "logs, locust figures and tokens: $OUT"
  return $status
}

main
