#!/usr/bin/env bash
# Prepares the secrets directory docker-compose.yml reads its Docker secrets from (docs/deployment.md): generates
# what can be generated (database and Grafana passwords, the list-cursor key, the callback signing secret, the payload
# codec's first key, the Temporal mTLS certificates) and says which files Dfns gives you to put beside them.
#   scripts/compose-secrets.sh [DIR] [--pkcs11]
#     DIR defaults to ./secrets (SECRETS_DIR in .env names another); --pkcs11: the signing key is in an HSM
#     (deploy/compose/pkcs11.yml), so the token's PIN is expected instead of a PEM key
# It never overwrites a file: run it again after adding yours, and it reports what is still missing (exit 1 while
# something is). Files are read-only for everyone inside a directory only its owner may enter: each is bind-mounted
# into the container that needs it, whose image runs as a user of its own.
set -euo pipefail
say() { printf 'compose-secrets: %s\n' "$*" >&2; }

DIR=./secrets
PKCS11=false
for arg in "$@"; do
  case "$arg" in
    --pkcs11) PKCS11=true ;;
    -*) say "ERROR: unknown option $arg"; exit 2 ;;
    *) DIR=$arg ;;
  esac
done
HERE=$(cd "$(dirname "$0")" && pwd)
umask 077
mkdir -p "$DIR"
chmod 700 "$DIR"

random() { openssl rand -base64 "$1" | tr -d '\n=' | tr '+/' '-_'; }
# generate FILE CONTENT-COMMAND: writes FILE from the command's output unless it exists.
generate() {
  local file="$DIR/$1"
  shift
  if [ -e "$file" ]; then return 0; fi
  "$@" >"$file"
  chmod 444 "$file"
  say "made $file"
}
line() { printf '%s\n' "$*"; }

generate postgres-password line "$(random 24)"
generate grafana-admin-password line "$(random 24)"
generate api-cursor-secret line "$(random 36)"
generate callback-signing-secret line "$(random 36)"
generate temporal-codec-keys line "$(date -u +%Y-%m) $(openssl rand -base64 32)"
# Empty: the trace backend (compose's jaeger) wants no credentials; put key=value,… headers here for one that does.
generate otel-exporter-headers printf ''
generate api-keys printf '%s\n' \
  '# API keys, one line each, as `npm run payments -- mint-key` prints them (the key itself is stored nowhere):' \
  '#   npm run payments -- mint-key --client acme                      a client service' \
  '#   npm run payments -- mint-key --client ops --scopes payloads:decode   an operator of the codec endpoint'
"$HERE/temporal-certs.sh" "$DIR/temporal-tls"

missing=()
signing_key=dfns-private-key.pem
[ "$PKCS11" = false ] || signing_key=dfns-pkcs11-pin
for file in dfns-auth-token "$signing_key" dfns-webhook-secrets; do
  [ -s "$DIR/$file" ] || missing+=("$file")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "still missing in $DIR (from Dfns; see docs/deployment.md): ${missing[*]}"
  say "  dfns-auth-token       the service account's token"
  say "  dfns-private-key.pem  the service account's signing key (PEM), or with --pkcs11:"
  say "  dfns-pkcs11-pin       the PIN of the token holding it (deploy/compose/pkcs11.yml, docs/hsm.md)"
  say "  dfns-webhook-secrets  the webhook's signing secret (one per line while rotating)"
  exit 1
fi
say "every secret docker-compose.yml needs is in $DIR"
