"""Runs one ext-test area on the interpreter running this script (CPython or Pyrite).

Usage: python run_area.py DIR MODULE

DIR holds the compiled extension MODULE (built from ext-tests/modules/MODULE.c for one header
set). Every `test_*` function of the module is called (each must return None or raise); then,
if ext-tests/drivers/check_MODULE.py exists, its `check(m)` runs the Python-level checks (what
the C code returns, the exceptions it raises, how the objects it makes behave). On Pyrite a
first round warms caches; further rounds must leave the number of live objects unchanged
(`sys.getallocatedblocks()` counts live objects in Pyrite), which catches both leaks and
references freed too early.
"""
import gc
import sys

ROUNDS = 3


def run_round(m, tests, check):
    for name in tests:
        r = getattr(m, name)()
        if r is not None:
            raise AssertionError(f"{name} returned {r!r}")
    if check is not None:
        check(m)


def main():
    directory, name = sys.argv[1], sys.argv[2]
    sys.path.insert(0, directory)
    m = __import__(name)
    tests = sorted(n for n in dir(m) if n.startswith("test_"))
    try:
        check = __import__("check_" + name).check
    except ModuleNotFoundError as e:
        if e.name != "check_" + name:
            raise
        check = None
    run_round(m, tests, check)
    leak_checked = sys.implementation.name == "pyrite"
    # Cyclic garbage of the rounds is collected before each count (an automatic collection
    # in between would otherwise make the count shrink). Measured twice so that both counts
    # include one int (the count itself) alive.
    gc.collect()
    before = sys.getallocatedblocks() if leak_checked else 0
    before = sys.getallocatedblocks() if leak_checked else 0
    for _ in range(ROUNDS):
        run_round(m, tests, check)
    gc.collect()
    if leak_checked:
        grown = sys.getallocatedblocks() - before
        if grown != 0:
            raise AssertionError(f"{name}: live objects changed by {grown} over {ROUNDS} rounds (leak or early free)")
    extra = " + check" if check is not None else ""
    print(f"{name}: {len(tests)} tests{extra} x{ROUNDS + 1} passed on {sys.implementation.name} {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
