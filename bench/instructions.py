#!/usr/bin/env python3
"""Count the machine instructions each benchmark executes, on Pyrite and on a CPython.

Usage (needs valgrind; runs on CPython 3.11+):

    python3 bench/instructions.py                    # every interpreter benchmark, small sizes
    python3 bench/instructions.py --only deltablue,go
    python3 bench/instructions.py --pyrite /tmp/old-pyrite   # a build to compare

Wall-clock ratios (bench/run.py) swing by tens of percent when other work shares the
machine; instruction counts from valgrind's callgrind do not, so they show whether a change
to the interpreter made it do less work. They are not times: a cache miss or a mispredicted
branch costs many instructions' worth, so check speed-ups with bench/run.py on a quiet
machine too.

Each interpreter's start-up (`-c pass`) is subtracted, so the ratio compares the
benchmark's own work. The CPython is python3's real executable (valgrind cannot follow a
pyenv shim script); CPython 3.15 through cpython-ref runs in a chroot without valgrind.
"""
import argparse
import math
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import BENCHMARKS, REPO, program_args  # noqa: E402


def count(argv, timeout):
    """Instructions executed by `argv` (callgrind's total), or None if it failed."""
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + argv
    try:
        proc = subprocess.run(cmd, cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    if proc.returncode != 0:
        return None
    for line in proc.stderr.decode("utf-8", "replace").splitlines():
        if "Collected :" in line:
            return int(line.split(":")[-1].strip().replace(",", ""))
    return None


def real_python(cmd):
    """The executable behind `cmd` (a pyenv shim is a script valgrind cannot run)."""
    out = subprocess.run([cmd, "-c", "import sys; print(sys.executable)"], stdout=subprocess.PIPE,
                         check=True)
    return out.stdout.decode().strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pyrite", default=os.path.join("target", "release", "pyrite"))
    parser.add_argument("--python", default="python3", help="the CPython to compare with")
    parser.add_argument("--only", help="comma-separated benchmark names")
    parser.add_argument("--size", choices=("default", "small"), default="small",
                        help="program sizes (default: small; callgrind runs ~50x slower)")
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()

    if subprocess.run(["which", "valgrind"], stdout=subprocess.DEVNULL).returncode != 0:
        print("error: valgrind is not installed", file=sys.stderr)
        return 2
    names = [n.strip() for n in args.only.split(",")] if args.only else list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        parser.error("unknown benchmark(s): %s" % ", ".join(unknown))
    pyrite = args.pyrite if os.path.isabs(args.pyrite) else os.path.join(REPO, args.pyrite)
    python = real_python(args.python)
    base = {exe: count([exe, "-c", "pass"], args.timeout) for exe in (pyrite, python)}
    print("instructions (millions) after start-up (pyrite %.0fM, %s %.0fM); size %s"
          % (base[pyrite] / 1e6, os.path.basename(python), base[python] / 1e6, args.size))
    print("%-16s %12s %12s %8s" % ("benchmark", "cpython", "pyrite", "ratio"))
    logs = []
    for name in names:
        program = program_args(name, args.size)
        c = count([python] + program, args.timeout)
        p = count([pyrite] + program, args.timeout)
        if c is None or p is None:
            print("%-16s %12s %12s %8s" % (name, "error" if c is None else "", "error" if p is None else "", "-"))
            continue
        c, p = c - base[python], p - base[pyrite]
        logs.append(math.log(p / c))
        print("%-16s %12.1f %12.1f %8.2f" % (name, c / 1e6, p / 1e6, p / c))
        sys.stdout.flush()
    if logs:
        print("geometric mean pyrite/cpython: %.2f over %d benchmark(s)" % (math.exp(sum(logs) / len(logs)), len(logs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
