#!/bin/sh
# One-shot (docker-compose service temporal-schema, admin-tools image): creates Temporal's two PostgreSQL databases
# and brings their schemas to the version this server needs. Safe to re-run: every step is idempotent, and an
# upgraded image applies only the newer migrations.
set -eu
# The password from a Docker secret (SQL_PASSWORD_FILE), or as temporal-sql-tool reads it (SQL_PASSWORD).
if [ -n "${SQL_PASSWORD_FILE:-}" ]; then
  SQL_PASSWORD=$(cat "$SQL_PASSWORD_FILE")
  export SQL_PASSWORD
fi
: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?set SQL_PASSWORD_FILE or SQL_PASSWORD}"
SCHEMA_DIR=${SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}
sql() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "${DB_PORT:-5432}" -u "$POSTGRES_USER" --db "$@"
}
for pair in "${DBNAME:-temporal}:temporal" "${VISIBILITY_DBNAME:-temporal_visibility}:visibility"; do
  db=${pair%%:*}
  sql "$db" create-database
  sql "$db" setup-schema -v 0.0
  sql "$db" update-schema -d "$SCHEMA_DIR/${pair#*:}/versioned"
  echo "schema of $db is up to date"
done
