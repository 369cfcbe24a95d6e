#!/usr/bin/env bash
# Creates a throw-away SoftHSM2 token for trying or testing the PKCS#11 signer (docs/hsm.md), and prints the
# variables that point the payment service at it, as `export NAME=value` lines for `eval`:
#
#   eval "$(scripts/softhsm-token.sh)"                  # a new temporary directory
#   eval "$(scripts/softhsm-token.sh --dir .local/hsm --label payments)"
#
# Everything lives under one directory: its own softhsm2.conf (SOFTHSM2_CONF), the token files, and the user PIN in
# a file readable by its owner only. The system's SoftHSM configuration and tokens (/etc/softhsm, /var/lib/softhsm)
# are never read or written. The token holds no key yet: `npm run dfns-setup service-account --key pkcs11` generates
# one inside it. Removing the directory removes the token. Exit codes: 0 done, 1 bad usage or SoftHSM2 missing.
set -euo pipefail

usage() {
  echo "usage: scripts/softhsm-token.sh [--dir DIR] [--label LABEL]" >&2
  exit 1
}

dir=""
label="dfns-payments"
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) [ $# -ge 2 ] || usage; dir="$2"; shift 2 ;;
    --label) [ $# -ge 2 ] || usage; label="$2"; shift 2 ;;
    *) usage ;;
  esac
done
if ! [[ "$label" =~ ^[A-Za-z0-9._-]{1,32}$ ]]; then
  echo "softhsm-token: --label: letters, digits, '.', '_' or '-', at most 32" >&2
  exit 1
fi

if ! command -v softhsm2-util >/dev/null 2>&1; then
  echo "softhsm-token: softhsm2-util not found: install SoftHSM2 (Debian: apt-get install softhsm2," \
    "or scripts/install-system-deps.sh)" >&2
  exit 1
fi
module=""
for candidate in /usr/lib/softhsm/libsofthsm2.so /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so \
  /usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so /usr/local/lib/softhsm/libsofthsm2.so \
  /opt/homebrew/lib/softhsm/libsofthsm2.so; do
  if [ -f "$candidate" ]; then
    module="$candidate"
    break
  fi
done
if [ -z "$module" ]; then
  echo "softhsm-token: libsofthsm2.so not found in the usual places: install SoftHSM2" >&2
  exit 1
fi

if [ -z "$dir" ]; then
  dir=$(mktemp -d "${TMPDIR:-/tmp}/softhsm-token.XXXXXX")
else
  mkdir -p "$dir"
fi
dir=$(cd "$dir" && pwd)
chmod 700 "$dir"
mkdir -p "$dir/tokens"
conf="$dir/softhsm2.conf"
cat >"$conf" <<EOF
directories.tokendir = $dir/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
EOF

# Random PINs: the user PIN goes to a file for the signer, the SO PIN (needed only to re-initialise) to another.
random_pin() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }
umask 077
random_pin >"$dir/user-pin"
random_pin >"$dir/so-pin"
SOFTHSM2_CONF="$conf" softhsm2-util --init-token --free --label "$label" \
  --so-pin "$(cat "$dir/so-pin")" --pin "$(cat "$dir/user-pin")" >/dev/null

printf 'export %s=%q\n' \
  SOFTHSM2_CONF "$conf" \
  DFNS_PKCS11_MODULE "$module" \
  DFNS_PKCS11_TOKEN_LABEL "$label" \
  DFNS_PKCS11_PIN_FILE "$dir/user-pin"
