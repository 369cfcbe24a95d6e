#!/usr/bin/env bash
# Yields a pinned Schemathesis and prints the path of its `st` command on stdout (everything else goes to stderr).
# It lives in a virtual environment outside the checkout, in
# $SCHEMATHESIS_CACHE_DIR (default ${XDG_CACHE_HOME:-~/.cache}/dfns-payments/schemathesis-<version>), created from PyPI
# with the machine's python3 the first time and reused afterwards.
set -euo pipefail

VERSION=4.32.5
say() { printf 'schemathesis: %s\n' "$*" >&2; }
fail() { say "ERROR: $*"; exit 1; }

# Python 3.11 before 3.11.8 and 3.12 before 3.12.2 can fail every ast.parse after one has failed
# (https://github.com/python/cpython/issues/106905), and Hypothesis parses sources while it generates: prefer an
# interpreter with the fix (SCHEMATHESIS_PYTHON, else the first fixed one of python3.13, python3.12, python3 and
# pyenv's installed versions, newest first), else python3 as it is (scripts/schemathesis-api.ts then runs a run
# stopped by that bug once more).
fixed() { "$1" -c 'import sys; v = sys.version_info[:3]; sys.exit(0 if v >= (3, 13) or (3, 12, 2) <= v < (3, 13) or (3, 11, 8) <= v < (3, 12) else 1)' 2>/dev/null; }
PYTHON=${SCHEMATHESIS_PYTHON:-}
if [ -z "$PYTHON" ]; then
  pyenv_root=$(pyenv root 2>/dev/null || true)
  for candidate in python3.13 python3.12 python3 $(ls -d "${pyenv_root:-/nonexistent}"/versions/3.1[1-9]* 2>/dev/null | sort -rV | sed 's#$#/bin/python3#'); do
    if command -v "$candidate" >/dev/null 2>&1 && fixed "$candidate"; then PYTHON=$candidate; break; fi
  done
fi
PYTHON=${PYTHON:-python3}
command -v "$PYTHON" >/dev/null 2>&1 || fail "python3 (>= 3.9) is needed to install Schemathesis"
PY_VERSION=$("$PYTHON" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
CACHE_DIR=${SCHEMATHESIS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/dfns-payments/schemathesis-$VERSION-py$PY_VERSION}

BIN="$CACHE_DIR/bin/st"
if [ -x "$BIN" ] && "$CACHE_DIR/bin/python" -c "import importlib.metadata as m; assert m.version('schemathesis') == '$VERSION'" 2>/dev/null; then
  say "using cached virtual environment ($CACHE_DIR)"
  printf '%s\n' "$BIN"
  exit 0
fi

say "installing schemathesis==$VERSION into $CACHE_DIR (Python $PY_VERSION)"
rm -rf "$CACHE_DIR.tmp"
"$PYTHON" -m venv "$CACHE_DIR.tmp" >&2 || fail "python3 -m venv failed (on Debian: apt-get install python3-venv)"
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
