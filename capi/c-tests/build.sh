#!/usr/bin/env bash
# Builds the differential-test library for a given Python interpreter:
#   capi/c-tests/build.sh PYTHON OUT.so
# capi/c/*.c are compiled with -DPYRITE_CAPI_TEST (host Python.h, names
# renamed to pyrite_*), plus testmod.c and compat.c.
set -euo pipefail
PY=${1:-python3}
OUT=${2:-/tmp/pyrite_capi_test.so}
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$HERE/../c
INC=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
PLATINC=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["platinclude"])')
PLATINC="$PLATINC -I$INC/.."
CFLAGS="-std=c11 -O1 -g -fPIC -Wall -Wextra -Werror"
OBJDIR=$(mktemp -d)
trap 'rm -rf "$OBJDIR"' EXIT
for f in "$SRC"/*.c; do
  gcc $CFLAGS -DPYRITE_CAPI_TEST -I"$INC" -I$PLATINC -I"$HERE" -I"$SRC" -c "$f" -o "$OBJDIR/$(basename "$f").o"
done
gcc $CFLAGS -Wno-unused-parameter -I"$INC" -I$PLATINC -c "$HERE/testmod.c" -o "$OBJDIR/testmod.o"
gcc $CFLAGS -I"$INC" -I$PLATINC -I"$HERE" -c "$HERE/compat.c" -o "$OBJDIR/compat.o"
gcc -shared -o "$OUT" "$OBJDIR"/*.o
echo "$OUT"
