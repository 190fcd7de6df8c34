#!/usr/bin/env bash
# Runs Pyrite's whole test suite: the Rust workspace tests (unit, ABI layout against CPython's
# headers of 3.6-3.15, the export table, and the ext-tests that load C extensions built with
# every header vintage into Pyrite and into CPython), then the differential tests of the
# C-variadic functions against CPython.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/fetch-cpython315.sh >/dev/null
# libpyrite.so (the cdylib) is checked by tests/exports.rs; nextest builds only what tests link.
cargo build --lib --bins
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast
else
  # The VM is single-threaded until the GIL lands: run tests one at a time.
  cargo test --workspace --no-fail-fast -- --test-threads=1
fi
if [ -x capi/c-tests/run.sh ]; then
  capi/c-tests/run.sh
fi
echo "tools/test.sh: all tests passed"
