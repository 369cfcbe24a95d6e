#!/usr/bin/env bash
# Yields the Temporal server v1.29.1 (the version the CLI dev server embeds) and its SQL schema tool, and prints
# three lines on stdout (everything else goes to stderr):
#   TEMPORAL_SERVER_PATH=<server binary>
#   TEMPORAL_SQL_TOOL_PATH=<temporal-sql-tool binary>
#   TEMPORAL_SCHEMA_DIR=<the module's schema/postgresql/v12: {temporal,visibility}/versioned migrations>
# Sources, in order:
#   1. TEMPORAL_SERVER_PATH, TEMPORAL_SQL_TOOL_PATH and TEMPORAL_SCHEMA_DIR, if set (used as is);
#   2. the cached build in $TEMPORAL_SERVER_CACHE_DIR
#      (default ${XDG_CACHE_HOME:-~/.cache}/dfns-payments/temporal-server/1.29.1);
#   3. `go install go.temporal.io/server/cmd/{server,tools/sql}@v1.29.1` into that cache (no replace directives).
# The schema files are copied into the cache too, so a cached build needs no module cache.
set -euo pipefail

VERSION=1.29.1
CACHE_DIR=${TEMPORAL_SERVER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/dfns-payments/temporal-server/$VERSION}
say() { printf 'temporal-server: %s\n' "$*" >&2; }
fail() { say "ERROR: $*"; exit 1; }
reports_version() { "$1" --version 2>/dev/null | grep -q "$VERSION"; }
emit() { printf 'TEMPORAL_SERVER_PATH=%s\nTEMPORAL_SQL_TOOL_PATH=%s\nTEMPORAL_SCHEMA_DIR=%s\n' "$1" "$2" "$3"; }

if [ -n "${TEMPORAL_SERVER_PATH:-}${TEMPORAL_SQL_TOOL_PATH:-}${TEMPORAL_SCHEMA_DIR:-}" ]; then
  hint="(set all three of TEMPORAL_SERVER_PATH, TEMPORAL_SQL_TOOL_PATH, TEMPORAL_SCHEMA_DIR, or none)"
  [ -x "${TEMPORAL_SERVER_PATH:-}" ] || fail "TEMPORAL_SERVER_PATH=${TEMPORAL_SERVER_PATH:-} is not executable $hint"
  [ -x "${TEMPORAL_SQL_TOOL_PATH:-}" ] || fail "TEMPORAL_SQL_TOOL_PATH=${TEMPORAL_SQL_TOOL_PATH:-} not executable $hint"
  [ -d "${TEMPORAL_SCHEMA_DIR:-}/visibility/versioned" ] \
    || fail "TEMPORAL_SCHEMA_DIR=${TEMPORAL_SCHEMA_DIR:-} has no visibility/versioned $hint"
  reports_version "$TEMPORAL_SERVER_PATH" || say "warning: $TEMPORAL_SERVER_PATH does not report version $VERSION"
  say "using TEMPORAL_SERVER_PATH, TEMPORAL_SQL_TOOL_PATH and TEMPORAL_SCHEMA_DIR"
  emit "$TEMPORAL_SERVER_PATH" "$TEMPORAL_SQL_TOOL_PATH" "$TEMPORAL_SCHEMA_DIR"
  exit 0
fi

SERVER="$CACHE_DIR/temporal-server"
SQL_TOOL="$CACHE_DIR/temporal-sql-tool"
SCHEMA="$CACHE_DIR/schema/postgresql/v12"
if [ -x "$SERVER" ] && [ -x "$SQL_TOOL" ] && [ -d "$SCHEMA/visibility/versioned" ] && reports_version "$SERVER"; then
  say "using cached build ($CACHE_DIR)"
  emit "$SERVER" "$SQL_TOOL" "$SCHEMA"
  exit 0
fi

command -v go >/dev/null 2>&1 \
  || fail "no TEMPORAL_SERVER_PATH, no cached build in $CACHE_DIR, and no Go (>= 1.25) to build one"
say "building Temporal server v$VERSION and temporal-sql-tool with go install into $CACHE_DIR (a few minutes, once)"
mkdir -p "$CACHE_DIR"
# Build into a temporary GOBIN and move into place, so an interrupted build never leaves a broken cached binary.
TMP_BIN=$(mktemp -d "$CACHE_DIR/.build.XXXXXX")
trap 'rm -rf "$TMP_BIN"' EXIT
if ! CGO_ENABLED=0 GOTOOLCHAIN=auto GOBIN="$TMP_BIN" go install -ldflags "-s -w" \
  "go.temporal.io/server/cmd/server@v$VERSION" "go.temporal.io/server/cmd/tools/sql@v$VERSION" >&2; then
  fail "go install of go.temporal.io/server v$VERSION failed (see above); or set TEMPORAL_SERVER_PATH and the others"
fi
# The schema migrations ship in the module, not in the binaries: keep the ones this build needs beside them.
MODULE_DIR="$(go env GOMODCACHE)/go.temporal.io/server@v$VERSION"
[ -d "$MODULE_DIR/schema/postgresql/v12" ] || fail "no schema in $MODULE_DIR after the build"
mkdir -p "$TMP_BIN/schema/postgresql"
cp -R "$MODULE_DIR/schema/postgresql/v12" "$TMP_BIN/schema/postgresql/v12"
chmod -R u+w "$TMP_BIN/schema"
rm -rf "$CACHE_DIR/schema"
mv "$TMP_BIN/schema" "$CACHE_DIR/schema"
mv -f "$TMP_BIN/sql" "$SQL_TOOL"
mv -f "$TMP_BIN/server" "$SERVER"
reports_version "$SERVER" || fail "built $SERVER but it does not report version $VERSION"
say "built $SERVER and $SQL_TOOL"
emit "$SERVER" "$SQL_TOOL" "$SCHEMA"
