#!/usr/bin/env bash
# Yields an executable that starts Temporal's Java time-skipping test server (for TestWorkflowEnvironment.createTimeSkipping
# with an existing-path executable) and prints its path on stdout; everything else goes to stderr.
# Sources, in order: TEMPORAL_TEST_SERVER_PATH; the cached jars in $TEMPORAL_TEST_SERVER_CACHE_DIR
# (default ${XDG_CACHE_HOME:-~/.cache}/dfns-payments/temporal-test-server/<version>); Maven Central through `mvn`.
set -euo pipefail

VERSION=1.38.0
CACHE_DIR=${TEMPORAL_TEST_SERVER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/dfns-payments/temporal-test-server/$VERSION}
say() { printf 'temporal-test-server: %s\n' "$*" >&2; }
fail() { say "ERROR: $*"; exit 1; }

if [ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ]; then
  [ -x "$TEMPORAL_TEST_SERVER_PATH" ] || fail "TEMPORAL_TEST_SERVER_PATH=$TEMPORAL_TEST_SERVER_PATH is not an executable file"
  say "using TEMPORAL_TEST_SERVER_PATH ($TEMPORAL_TEST_SERVER_PATH)"
  printf '%s\n' "$TEMPORAL_TEST_SERVER_PATH"
  exit 0
fi

RUN="$CACHE_DIR/run.sh"
if [ -x "$RUN" ] && ls "$CACHE_DIR"/lib/temporal-test-server-"$VERSION".jar >/dev/null 2>&1; then
  say "using cached jars ($CACHE_DIR)"
  printf '%s\n' "$RUN"
  exit 0
fi

command -v java >/dev/null 2>&1 || fail "no java on PATH (need Java 17+), no cached test server at $CACHE_DIR"
command -v mvn >/dev/null 2>&1 || fail "no mvn on PATH to fetch io.temporal:temporal-test-server:$VERSION from Maven Central"
say "fetching io.temporal:temporal-test-server:$VERSION and its dependencies with Maven into $CACHE_DIR (once)"
mkdir -p "$CACHE_DIR"
STAGE=$(mktemp -d "$CACHE_DIR/.fetch.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
cat > "$STAGE/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>local.payments</groupId><artifactId>temporal-test-server-fetch</artifactId><version>1</version>
  <dependencies><dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId>
    <version>$VERSION</version></dependency></dependencies></project>
POM
(cd "$STAGE" && mvn -q -B dependency:copy-dependencies -DoutputDirectory=lib -DincludeScope=runtime >&2) \
  || fail "mvn could not fetch io.temporal:temporal-test-server:$VERSION; set TEMPORAL_TEST_SERVER_PATH to a wrapper instead"
# The SDK spawns this with "<port> [args]" and SIGKILLs the pid it spawned, so the wrapper must exec java itself.
cat > "$STAGE/run.sh" <<'WRAPPER'
#!/bin/sh
DIR=$(cd "$(dirname "$0")" && pwd)
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -cp "$DIR/lib/*" io.temporal.testserver.TestServer "$@"
WRAPPER
chmod +x "$STAGE/run.sh"
rm -rf "$CACHE_DIR/lib"
mv "$STAGE/lib" "$CACHE_DIR/lib"
mv -f "$STAGE/run.sh" "$RUN"
say "ready ($RUN)"
printf '%s\n' "$RUN"
