#!/usr/bin/env bash
# Pyrite's main job, until the language front end lands: load a compiled abi3 extension
# module (built here against CPython 3.8's headers with Py_LIMITED_API=3.2, as an old wheel
# would be) into the `pyrite` process — no libpython anywhere — and call its functions.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --bin pyrite -q
out=target/demo; mkdir -p "$out"
inc="$(pyenv root)/versions/3.8.18/include/python3.8"
cc -shared -fPIC -O2 -I"$inc" -DPy_LIMITED_API=0x03020000 ext-tests/modules/objmodel.c -o "$out/objmodel.abi3.so"
echo "objmodel.abi3.so imports (from no libpython): $(nm -D --undefined-only "$out/objmodel.abi3.so" | grep -c ' Py\| _Py') Py* symbols"
set -x
target/release/pyrite --ext-call "$out/objmodel.abi3.so" add_ints 2 40
target/release/pyrite --ext-call "$out/objmodel.abi3.so" make_containers
target/release/pyrite --ext-call "$out/objmodel.abi3.so" test_containers
target/release/pyrite --capi-coverage
