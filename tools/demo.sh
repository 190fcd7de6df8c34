#!/usr/bin/env bash
# Pyrite's main job on real examples:
# 1. examples/wheels_demo.py imports three unmodified abi3 wheels from PyPI (bcrypt, nh3,
#    fast_query_parsers: Rust extensions built with PyO3), downloaded here with pip;
# 2. examples/objmodel_demo.py imports an extension built against CPython 3.8's headers with
#    Py_LIMITED_API=3.2, as an old wheel would be.
# The extensions are dlopen'ed into the `pyrite` process (no libpython anywhere) and share
# objects with the VM. Each program then runs on CPython 3.11 for comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --bin pyrite -q
out=target/demo; mkdir -p "$out"
site="$out/site-packages"
if [ ! -f "$site/.complete" ]; then
  python3 -m pip download -q --disable-pip-version-check --only-binary=:all: --no-deps \
    --python-version 3.12 --platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 \
    -d "$out/wheels" bcrypt==5.0.0 nh3==0.3.8 fast_query_parsers==1.0.3
  rm -rf "$site"; mkdir -p "$site"
  for w in "$out"/wheels/*.whl; do python3 -m zipfile -e "$w" "$site"; done
  touch "$site/.complete"
fi
echo "== pyrite examples/wheels_demo.py"
PYTHONPATH="$site" target/release/pyrite examples/wheels_demo.py
echo "== python3 examples/wheels_demo.py (CPython, for comparison)"
PYTHONPATH="$site" python3 examples/wheels_demo.py
inc="$(pyenv root)/versions/3.8.18/include/python3.8"
cc -shared -fPIC -O2 -I"$inc" -DPy_LIMITED_API=0x03020000 ext-tests/modules/objmodel.c -o "$out/objmodel.abi3.so"
echo "== pyrite examples/objmodel_demo.py"
PYTHONPATH="$out" target/release/pyrite examples/objmodel_demo.py
echo "== python3 examples/objmodel_demo.py (CPython, for comparison)"
PYTHONPATH="$out" python3 examples/objmodel_demo.py
echo "== C API coverage"
target/release/pyrite --capi-coverage
