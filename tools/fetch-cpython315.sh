#!/usr/bin/env bash
# Fetches CPython 3.15's headers, Lib/ and test suite from Debian sid into a cache,
# without installing anything on the host: an isolated apt state downloads the .debs and
# `dpkg -x` unpacks them. Prints the cache root. Idempotent.
#
#   tools/fetch-cpython315.sh            # -> $PYRITE_CACHE/cpython315/root/usr/include/python3.15 ...
#
# The cache defaults to ~/.cache/pyrite (override with PYRITE_CACHE).
set -euo pipefail
CACHE=${PYRITE_CACHE:-$HOME/.cache/pyrite}
C=$CACHE/cpython315
ROOT=$C/root
PKGS="libpython3.15-dev libpython3.15-stdlib libpython3.15-testsuite libpython3.15-minimal"
if [ -f "$ROOT/.complete" ]; then echo "$ROOT"; exit 0; fi
mkdir -p "$C/lists/partial" "$C/cache/archives/partial" "$C/debs"
echo "deb http://deb.debian.org/debian sid main" > "$C/sources.list"
O=(-o Dir::Etc::SourceList="$C/sources.list" -o Dir::Etc::SourceParts=/dev/null
   -o Dir::State::Lists="$C/lists" -o Dir::Cache="$C/cache" -o Debug::NoLocking=1
   -o APT::Sandbox::User=root)
apt-get "${O[@]}" -qq update >&2
(cd "$C/debs" && apt-get "${O[@]}" -qq download $PKGS >&2)
rm -rf "$ROOT"; mkdir -p "$ROOT"
for d in "$C"/debs/*.deb; do dpkg -x "$d" "$ROOT"; done
test -f "$ROOT/usr/include/python3.15/Python.h"
touch "$ROOT/.complete"
echo "$ROOT"
