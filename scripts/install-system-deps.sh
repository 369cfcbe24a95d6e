#!/usr/bin/env bash
# Installs the Debian packages the project's checks need, when missing: docker-compose (to validate
# docker-compose.yml; no Docker engine is needed or used), Java with Maven for the test server, PostgreSQL
# with openssl for the Postgres-backed Temporal suite, Chromium for the browser tests, and SoftHSM2 with a C++
# toolchain for the PKCS#11 signer. Node 20 and Go >= 1.25 (for the Temporal CLI build, unless TEMPORAL_CLI_PATH is
# set) come with the machine; Debian's own Go is too old.
set -euo pipefail
missing=()
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus) # promtool tests the alert rules
# Java and Maven run the time-skipping test server (tests only); the machines have them, a bare Debian may not.
command -v java >/dev/null 2>&1 || [ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ] || missing+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || [ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ] || missing+=(maven)
# Python with venv hosts Schemathesis (scripts/schemathesis.sh installs it from PyPI into a cached venv).
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3 python3-venv)
# PostgreSQL runs the real Temporal server in the Postgres-backed suite (npm run test:postgres); openssl makes its
# certificates. Only the server binaries are needed: the suite starts its own cluster, never the system service.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
# Debian's Chromium runs the browser tests (test/browser, through playwright-core, which cannot fetch a browser of its
# own here); CHROMIUM_PATH names another build.
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
# SoftHSM2 is the PKCS#11 token the signer's tests run on (scripts/softhsm-token.sh makes throw-away ones); g++ and
# make build pkcs11js, the PKCS#11 binding, when npm ci installs it.
command -v softhsm2-util >/dev/null 2>&1 || missing+=(softhsm2)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v make >/dev/null 2>&1 || missing+=(make)
if [ ${#missing[@]} -eq 0 ]; then
  echo "system deps: present" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "system deps: installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
