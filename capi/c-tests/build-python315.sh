#!/usr/bin/env bash
# Links a runnable CPython 3.15 interpreter out of Debian's libpython3.15.a
# (fetched by tools/fetch-cpython315.sh), so the differential test can use
# the real 3.15 as its reference.  Prints the path of a wrapper script that
# runs it with the right PYTHONHOME.  Idempotent; output in the cache dir.
#
#   capi/c-tests/build-python315.sh CPYTHON315_ROOT
set -euo pipefail
ROOT=$1
CFG=$ROOT/usr/lib/python3.15/config-3.15-x86_64-linux-gnu
OUT=$ROOT/../py315-bin
WRAP=$OUT/python3.15
if [ -x "$WRAP" ] && [ -x "$OUT/python3.15.bin" ]; then echo "$WRAP"; exit 0; fi
test -f "$CFG/libpython3.15.a"
mkdir -p "$OUT"
cd "$OUT"
cat > main.c <<'C'
extern int Py_BytesMain(int, char **);
int main(int argc, char **argv) { return Py_BytesMain(argc, argv); }
C
# Debian sid's archive is built against glibc >= 2.38 (C23 strtol & co);
# map those entry points to the classic ones for an older host glibc.
cat > glibc_compat.c <<'C'
#include <stdlib.h>
#include <stdio.h>
#include <stdarg.h>
#include <wchar.h>
long __isoc23_strtol(const char *s, char **e, int b) { return strtol(s, e, b); }
unsigned long __isoc23_strtoul(const char *s, char **e, int b) { return strtoul(s, e, b); }
long long __isoc23_strtoll(const char *s, char **e, int b) { return strtoll(s, e, b); }
unsigned long long __isoc23_strtoull(const char *s, char **e, int b) { return strtoull(s, e, b); }
long __isoc23_wcstol(const wchar_t *s, wchar_t **e, int b) { return wcstol(s, e, b); }
int __isoc23_sscanf(const char *s, const char *f, ...)
{ va_list v; va_start(v, f); int r = vsscanf(s, f, v); va_end(v); return r; }
C
gcc -c -O1 main.c glibc_compat.c
LIBS=""
for l in z expat; do
  if [ -e "$(gcc -print-file-name=lib$l.so)" ]; then LIBS="$LIBS -l$l"; fi
done
for f in /usr/lib/x86_64-linux-gnu/libzstd.so.1 /lib/x86_64-linux-gnu/libzstd.so.1; do
  if [ -e "$f" ]; then LIBS="$LIBS $f"; break; fi
done
# The archive's objects are GCC "fat" LTO objects: link their machine code
# (-fno-lto), non-PIE, exporting every symbol for extension modules;
# symbols of modules whose libraries are absent stay unresolved (only
# importing those modules would fail).
gcc -no-pie -fno-lto -fno-use-linker-plugin -Wl,-E -o python3.15.bin main.o glibc_compat.o \
    -Wl,--whole-archive "$CFG/libpython3.15.a" -Wl,--no-whole-archive \
    -Wl,--unresolved-symbols=ignore-all $LIBS -ldl -lm -lpthread -lutil 2>/dev/null
cat > "$WRAP" <<SH
#!/bin/sh
PYTHONHOME="$ROOT/usr" exec "$OUT/python3.15.bin" "\$@"
SH
chmod +x "$WRAP"
"$WRAP" -c 'import sys; assert sys.version_info[:2] == (3, 15)'
echo "$WRAP"
