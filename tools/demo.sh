#!/usr/bin/env bash
# Pyrite's main job on a real example: a Python program (examples/objmodel_demo.py) importing a
# compiled abi3 extension built against CPython 3.8's headers with Py_LIMITED_API=3.2, as an
# old wheel would be. The extension is dlopen'ed into the `pyrite` process (no libpython
# anywhere) and shares objects with the VM. The same program then runs on CPython 3.11.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --bin pyrite -q
out=target/demo; mkdir -p "$out"
inc="$(pyenv root)/versions/3.8.18/include/python3.8"
cc -shared -fPIC -O2 -I"$inc" -DPy_LIMITED_API=0x03020000 ext-tests/modules/objmodel.c -o "$out/objmodel.abi3.so"
echo "== pyrite examples/objmodel_demo.py"
PYTHONPATH="$out" target/release/pyrite examples/objmodel_demo.py
echo "== python3 examples/objmodel_demo.py (CPython, for comparison)"
PYTHONPATH="$out" python3 examples/objmodel_demo.py
echo "== C API coverage"
target/release/pyrite --capi-coverage
