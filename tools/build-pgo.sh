#!/usr/bin/env bash
# Builds target/release/pyrite with profile-guided optimization, as CPython's release builds
# are (`--enable-optimizations`): an instrumented build runs a training set (the language
# and standard-library tests), and the release build is optimized with
# the profile it wrote (which arms of the interpreter's dispatch are hot, which branches are
# taken, what to keep in registers). Two full release builds and the training: about 6
# minutes on 2 cores. The result replaces target/release/pyrite; a plain
# `cargo build --release` afterwards rebuilds it without the profile (RUSTFLAGS differ).
# Needs `llvm-profdata` from rustup's llvm-tools component (added here if missing).
# Usage: tools/build-pgo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$HOME/.cargo/bin:$PATH"
sysroot=$(rustc --print sysroot)
profdata=$(find "$sysroot/lib/rustlib" -name llvm-profdata -type f 2>/dev/null | head -n 1)
if [ -z "$profdata" ]; then
  rustup component add llvm-tools >&2
  profdata=$(find "$sysroot/lib/rustlib" -name llvm-profdata -type f | head -n 1)
fi
work=$root/target/pgo
rm -rf "$work/data"
mkdir -p "$work/data"

echo "tools/build-pgo.sh: instrumented build" >&2
RUSTFLAGS="-Cprofile-generate=$work/data" cargo build --release --bin pyrite --target-dir "$work/gen"
gen=$work/gen/release/pyrite

echo "tools/build-pgo.sh: training" >&2
# The training set is the language and standard-library tests, not the benchmark programs:
# bench/ measures how Pyrite runs code it was not tuned on (CPython's PGO builds likewise
# train on its test suite, not on pyperformance).
for t in tests/lang/*.py tests/stdlib/*.py; do
  # Expected failures included: the profile only needs the code to run.
  (cd "$(dirname "$t")" && timeout 120 "$gen" "$(basename "$t")" >/dev/null 2>&1 </dev/null) || true
done
"$profdata" merge -o "$work/pyrite.profdata" "$work/data"

echo "tools/build-pgo.sh: optimized build" >&2
RUSTFLAGS="-Cprofile-use=$work/pyrite.profdata" cargo build --release --bin pyrite
echo "tools/build-pgo.sh: built target/release/pyrite" >&2
