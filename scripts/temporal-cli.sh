#!/usr/bin/env bash
# Yields a Temporal CLI v1.5.1 binary and prints its path on stdout (everything else goes to stderr).
# Sources, in order:
#   1. TEMPORAL_CLI_PATH, if set (used as is; it must be executable);
#   2. the cached build in $TEMPORAL_CLI_CACHE_DIR (default ${XDG_CACHE_HOME:-~/.cache}/dfns-payments/temporal-cli/1.5.1);
#   3. `go install github.com/temporalio/cli/cmd/temporal@v1.5.1` into that cache (v1.6+ cannot be go-installed).
set -euo pipefail

VERSION=1.5.1
CACHE_DIR=${TEMPORAL_CLI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/dfns-payments/temporal-cli/$VERSION}
say() { printf 'temporal-cli: %s\n' "$*" >&2; }
fail() { say "ERROR: $*"; exit 1; }
reports_version() { "$1" -v 2>/dev/null | grep -q "temporal version $VERSION "; }

if [ -n "${TEMPORAL_CLI_PATH:-}" ]; then
  [ -x "$TEMPORAL_CLI_PATH" ] || fail "TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH is not an executable file"
  reports_version "$TEMPORAL_CLI_PATH" || say "warning: $TEMPORAL_CLI_PATH does not report version $VERSION; using it anyway"
  say "using TEMPORAL_CLI_PATH ($TEMPORAL_CLI_PATH)"
  printf '%s\n' "$TEMPORAL_CLI_PATH"
  exit 0
fi

BIN="$CACHE_DIR/temporal"
if [ -x "$BIN" ] && reports_version "$BIN"; then
  say "using cached build ($BIN)"
  printf '%s\n' "$BIN"
  exit 0
fi

command -v go >/dev/null 2>&1 || fail "no TEMPORAL_CLI_PATH, no cached build at $BIN, and no Go toolchain to build one (need Go >= 1.25)"
say "building Temporal CLI v$VERSION with go install into $CACHE_DIR (a few minutes, once)"
mkdir -p "$CACHE_DIR"
# Build into a temporary GOBIN and move into place, so an interrupted build never leaves a broken cached binary.
TMP_BIN=$(mktemp -d "$CACHE_DIR/.build.XXXXXX")
trap 'rm -rf "$TMP_BIN"' EXIT
if ! CGO_ENABLED=0 GOTOOLCHAIN=auto GOBIN="$TMP_BIN" \
  go install -ldflags "-s -w -X github.com/temporalio/cli/temporalcli.Version=$VERSION" \
  "github.com/temporalio/cli/cmd/temporal@v$VERSION" >&2; then
  fail "go install github.com/temporalio/cli/cmd/temporal@v$VERSION failed (see above); set TEMPORAL_CLI_PATH to an existing v$VERSION binary instead"
fi
mv -f "$TMP_BIN/temporal" "$BIN"
reports_version "$BIN" || fail "built $BIN but it does not report version $VERSION"
say "built $BIN"
printf '%s\n' "$BIN"
