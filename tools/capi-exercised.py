#!/usr/bin/env python3
"""How many Stable ABI symbols the ext-tests exercise: the manifest names that the ext-test
modules built by the last test run (target/*/tmp/ext-tests/**/*.so) import, by `nm -D`.

Usage: python3 tools/capi-exercised.py [--missing]   (run the ext-tests first)
"""
import glob
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    manifest = set(open(os.path.join(REPO, "abi/data/abi3_symbols.txt")).read().split())
    libs = glob.glob(os.path.join(REPO, "target/*/tmp/ext-tests/**/*.so"), recursive=True)
    libs += glob.glob(os.path.join(REPO, "target/tmp/ext-tests/**/*.so"), recursive=True)
    if not libs:
        sys.exit("no ext-test modules built yet: run `cargo nextest run --test ext_tests` first")
    used = set()
    for lib in libs:
        out = subprocess.run(["nm", "-D", "--undefined-only", lib], capture_output=True, text=True).stdout
        used.update(line.split()[-1] for line in out.splitlines() if line.strip())
    exercised = manifest & used
    print("ext-tests exercise %d/%d Stable ABI symbols (%.0f%%), from %d modules"
          % (len(exercised), len(manifest), 100 * len(exercised) / len(manifest), len(libs)))
    if "--missing" in sys.argv:
        print(" ".join(sorted(manifest - used)))


if __name__ == "__main__":
    main()
