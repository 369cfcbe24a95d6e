#!/usr/bin/env bash
# A throwaway PostgreSQL holding Temporal's two databases, for tests and local runs of the real server (never for
# production: durability settings are off). Uses Debian's postgresql (scripts/install-system-deps.sh) and the
# schema tool and migrations from scripts/temporal-server.sh.
#   scripts/postgres-temporal.sh start DIR PORT   create the cluster in DIR once, start it on 127.0.0.1:PORT, and
#                                                 create the temporal and temporal_visibility schemas once
#   scripts/postgres-temporal.sh stop DIR
# The user is `temporal`, trusted without a password, on loopback only. Run as root, the cluster belongs to the
# `postgres` user (initdb refuses root), so DIR must be a directory that user can reach (mktemp -d in /tmp is).
set -euo pipefail
say() { printf 'postgres-temporal: %s\n' "$*" >&2; }
fail() { say "ERROR: $*"; exit 1; }

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$PG_BIN/initdb" ] \
  || fail "no PostgreSQL server in ${PG_BIN:-/usr/lib/postgresql/*/bin}; run scripts/install-system-deps.sh"
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

command=${1:-}
DIR=${2:-}
[ -n "$DIR" ] || fail "usage: $0 start DIR PORT | stop DIR"
DIR=$(cd "$DIR" && pwd)
DATA="$DIR/data"

case "$command" in
  stop)
    [ -f "$DATA/postmaster.pid" ] || { say "not running ($DATA)"; exit 0; }
    as_owner "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2
    exit 0
    ;;
  start) ;;
  *) fail "usage: $0 start DIR PORT | stop DIR" ;;
esac

PORT=${3:-}
[[ "$PORT" =~ ^[0-9]+$ ]] || fail "PORT must be a number, got '${PORT}'"
if [ -z "${TEMPORAL_SQL_TOOL_PATH:-}" ] || [ -z "${TEMPORAL_SCHEMA_DIR:-}" ]; then
  eval "$("$(dirname "$0")/temporal-server.sh")"
fi

[ "$(id -u)" -ne 0 ] || chown postgres "$DIR"
if [ ! -f "$DATA/PG_VERSION" ]; then
  as_owner "$PG_BIN/initdb" -D "$DATA" -U temporal --auth=trust -E UTF8 --no-sync >/dev/null \
    || fail "initdb -D $DATA failed"
fi
# Throwaway data: trade durability for speed. max_connections covers the four services' pools of one server.
as_owner "$PG_BIN/pg_ctl" -D "$DATA" -l "$DIR/postgres.log" -w -t 30 \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off" \
  start >&2 || fail "PostgreSQL did not start on 127.0.0.1:$PORT (see $DIR/postgres.log)"

if [ ! -f "$DIR/schema-created" ]; then
  sql() { "$TEMPORAL_SQL_TOOL_PATH" --plugin postgres12 --ep 127.0.0.1 -p "$PORT" -u temporal --db "$@"; }
  for pair in temporal:temporal temporal_visibility:visibility; do
    db=${pair%%:*}
    (sql "$db" create-database && sql "$db" setup-schema -v 0.0 \
      && sql "$db" update-schema -d "$TEMPORAL_SCHEMA_DIR/${pair#*:}/versioned") >"$DIR/schema-$db.log" 2>&1 \
      || fail "temporal-sql-tool could not create the $db schema (see $DIR/schema-$db.log)"
  done
  touch "$DIR/schema-created"
fi
say "PostgreSQL on 127.0.0.1:$PORT with Temporal's schemas ($DIR)"
