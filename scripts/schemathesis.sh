#!/usr/bin/env bash
# Yields a pinned Schemathesis and prints the path of its `st` command on stdout (everything else goes to stderr).
# It lives in a virtual environment outside the checkout, in
# $SCHEMATHESIS_CACHE_DIR (default ${XDG_CACHE_HOME:-~/.cache}/dfns-payments/schemathesis-<version>), created from PyPI
# with the machine's python3 the first time and reused afterwards.
set -euo pipefail

VERSION=4.32.5
CACHE_DIR=${SCHEMATHESIS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/dfns-payments/schemathesis-$VERSION}
say() { printf 'schemathesis: %s\n' "$*" >&2; }
fail() { say "ERROR: $*"; exit 1; }

BIN="$CACHE_DIR/bin/st"
if [ -x "$BIN" ] && "$CACHE_DIR/bin/python" -c "import importlib.metadata as m; assert m.version('schemathesis') == '$VERSION'" 2>/dev/null; then
  say "using cached virtual environment ($CACHE_DIR)"
  printf '%s\n' "$BIN"
  exit 0
fi

command -v python3 >/dev/null 2>&1 || fail "python3 (>= 3.9) is needed to install Schemathesis"
say "installing schemathesis==$VERSION into $CACHE_DIR"
rm -rf "$CACHE_DIR.tmp"
python3 -m venv "$CACHE_DIR.tmp" >&2 || fail "python3 -m venv failed (on Debian: apt-get install python3-venv)"
"$CACHE_DIR.tmp/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$VERSION" >&2
rm -rf "$CACHE_DIR"
mv "$CACHE_DIR.tmp" "$CACHE_DIR"
# A moved venv keeps its old path in script shebangs: call st through the venv's python instead.
cat > "$CACHE_DIR/bin/st" <<SH
#!/usr/bin/env bash
exec "$CACHE_DIR/bin/python" -m schemathesis.cli "\$@"
SH
chmod +x "$CACHE_DIR/bin/st"
"$BIN" --version >&2 || fail "the installed st does not run"
printf '%s\n' "$BIN"
