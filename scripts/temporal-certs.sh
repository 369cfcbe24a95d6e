#!/usr/bin/env bash
# Makes the mTLS certificates of a Temporal deployment with openssl: a CA, the server's certificate (which the
# server's own services also present to each other, so it is good for both TLS ends), and one client certificate per
# process that talks to Temporal (worker, app, ui, admin). Used by docker-compose (docs/deployment.md) and by the
# Postgres-backed test suite, which starts the real server with these same files.
#   scripts/temporal-certs.sh DIR [--server-name NAME] [--days N]
# Writes into DIR only what is missing, so a second run changes nothing; to renew a certificate, delete its two files
# and run again (the CA stays, so the others remain valid). ca.key never leaves DIR; every other key is mounted into
# one container as a Docker secret. Files are made read-only for everyone and DIR for its owner only: a secret file is
# bind-mounted as it is, and each image runs as its own user, so the directory is what keeps other host users out.
#   NAME   the DNS name clients check the server against (default temporal, the compose service name)
#   N      days a leaf certificate is valid (default 397); the CA is valid ten years
set -euo pipefail
say() { printf 'temporal-certs: %s\n' "$*" >&2; }
fail() { say "ERROR: $*"; exit 2; }

DIR=${1:-}
[ -n "$DIR" ] && [ "${DIR#-}" = "$DIR" ] || fail "usage: $0 DIR [--server-name NAME] [--days N]"
shift
SERVER_NAME=temporal
DAYS=397
while [ $# -gt 0 ]; do
  case "$1" in
    --server-name) SERVER_NAME=${2:-}; shift 2 ;;
    --days) DAYS=${2:-}; shift 2 ;;
    *) fail "unknown option $1 (usage: $0 DIR [--server-name NAME] [--days N])" ;;
  esac
done
[[ "$SERVER_NAME" =~ ^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$ ]] || fail "--server-name must be a DNS name, got '$SERVER_NAME'"
[[ "$DAYS" =~ ^[0-9]{1,4}$ ]] && [ "$DAYS" -ge 1 ] || fail "--days must be a whole number of days, got '$DAYS'"
command -v openssl >/dev/null || fail "openssl is not installed (scripts/install-system-deps.sh installs it)"

umask 077
mkdir -p "$DIR"
chmod 700 "$DIR"
cd "$DIR"
made=()

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

if [ ! -f ca.pem ] || [ ! -f ca.key ]; then
  key ca.key
  openssl req -x509 -new -key ca.key -subj "/CN=payments Temporal CA" -days 3650 -out ca.pem \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  chmod 400 ca.key
  made+=(ca.pem)
fi

# leaf NAME CN EXTENDED_KEY_USAGE [SUBJECT_ALT_NAMES]
leaf() {
  local name=$1 cn=$2 usage=$3 san=${4:-}
  [ -f "$name.pem" ] && [ -f "$name.key" ] && return 0
  key "$name.key"
  openssl req -new -key "$name.key" -subj "/CN=$cn" -out "$name.csr" 2>/dev/null
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature"
    echo "extendedKeyUsage=$usage"
    [ -z "$san" ] || echo "subjectAltName=$san"
  } >"$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days "$DAYS" \
    -extfile "$name.ext" -out "$name.pem" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
  made+=("$name.pem")
}

leaf server "$SERVER_NAME" serverAuth,clientAuth "DNS:$SERVER_NAME,DNS:localhost,IP:127.0.0.1"
for client in worker app ui admin; do
  leaf "$client" "payments-$client" clientAuth
done
rm -f ca.srl
chmod 444 ./*.pem server.key worker.key app.key ui.key admin.key

if [ ${#made[@]} -eq 0 ]; then
  say "nothing to do: every certificate exists in $(pwd)"
else
  say "made ${made[*]} in $(pwd) (server name $SERVER_NAME)"
fi
