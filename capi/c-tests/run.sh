#!/usr/bin/env bash
# Differential test of capi/c (Pyrite's C-implemented C API functions)
# against CPython:
#   1. compile check of capi/c in production mode (own declarations only);
#   2. the host python3 (e.g. 3.11): capi/c built against its headers with
#      every implemented function renamed pyrite_*, compared call by call with
#      CPython's; where the host differs from 3.15 the recorded CPython 3.15
#      outcome (golden_315.json) is the reference;
#   3. CPython 3.15 itself when it can be had (tools/fetch-cpython315.sh +
#      build-python315.sh): direct comparison with the real 3.15.
#      PYRITE_CAPI_SKIP_315=1 skips it; PYRITE_CAPI_RECORD=1 rewrites
#      golden_315.json from it.
# Exits non-zero on any failure.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
status=0
total=0

echo "== production-mode compile check (capi/c, -Wall -Wextra -Werror)"
for f in "$HERE"/../c/*.c; do
  gcc -std=c11 -Wall -Wextra -Werror -O2 -fPIC -c "$f" -o "$WORK/$(basename "$f").o" || status=1
done

run_one() {  # PYTHON LABEL [extra args]
  local py=$1 label=$2; shift 2
  echo "== $label: $("$py" -c 'import sys; print(sys.version.split()[0])')"
  if ! "$HERE/build.sh" "$py" "$WORK/test_$label.so" >/dev/null; then
    echo "build failed for $label"; status=1; return
  fi
  "$py" "$HERE/test_capi_c.py" "$WORK/test_$label.so" "$@" | tee "$WORK/out_$label.txt" | tail -n 40
  local rc=${PIPESTATUS[0]}
  [ "$rc" -eq 0 ] || status=1
  local n
  n=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$WORK/out_$label.txt" | tail -1)
  if [ -n "$n" ]; then total=$((total + ${n% *} + ${n#* })); fi
}

run_one python3 host

if [ "${PYRITE_CAPI_SKIP_315:-0}" != 1 ]; then
  if ROOT=$("$REPO/tools/fetch-cpython315.sh" 2>/dev/null) && \
     PY315=$("$HERE/build-python315.sh" "$ROOT" 2>/dev/null | tail -1) && [ -x "$PY315" ]; then
    if [ "${PYRITE_CAPI_RECORD:-0}" = 1 ]; then
      run_one "$PY315" cpython315 --record
    else
      run_one "$PY315" cpython315
    fi
  else
    echo "== CPython 3.15 not available here: skipped (host run used golden_315.json)"
  fi
fi

echo "== total: $total comparisons; $([ $status -eq 0 ] && echo PASS || echo FAIL)"
exit $status
