#!/usr/bin/env python3
"""Run Pyrite's benchmark programs on Pyrite and on reference interpreters.

Usage (from anywhere; runs on CPython 3.11+):

    python3 bench/run.py                      # all benchmarks, default sizes
    python3 bench/run.py --size small         # quick smoke run
    python3 bench/run.py --only nbody,go --repeat 5
    python3 bench/run.py --ref python3 --ref 'pypy3'
    python3 bench/run.py --pyrite target/debug/pyrite

Every program is run with cwd = the repository root and a path relative to it
(bench/programs/NAME.py), because the cpython-ref tool runs its interpreter in
a chroot that only sees the current folder.  Each interpreter runs a program
--repeat times and the minimum wall-clock time is kept.  Pyrite's output must
equal the first reference interpreter's output, else the benchmark is a FAIL.
"""
import argparse
import os
import shlex
import subprocess
import sys
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH_DIR)
PROGRAMS = os.path.join(BENCH_DIR, "programs")

# name -> argument for --size small (the default size is the program's own)
BENCHMARKS = {
    "nbody": "2000",
    "richards": "1",
    "fannkuch": "7",
    "spectral_norm": "40",
    "nqueens": "7",
    "chaos": "5000",
    "deltablue": "5",
    "raytrace": "24",
    "go": "1",
    "hexiom": "3",
    "generators": "20000",
    "numeric_loops": "1",
    "method_calls": "5000",
    "closures": "10000",
    "string_building": "3000",
    "dict_list": "5000",
    "object_alloc": "8",
}

# The C API suite (--suite capi): bench/programs/capi_calls.py runs one workload of the
# extension bench/capi/capibench.c. name -> (workload, default count, small count).
CAPI_BENCHMARKS = {
    "capi_noargs": ("noargs", "5000000", "100000"),
    "capi_o": ("o", "5000000", "100000"),
    "capi_fastcall": ("fastcall", "5000000", "100000"),
    "capi_varargs_kw": ("varkw", "2000000", "100000"),
    "capi_call_python": ("call_python", "5000000", "100000"),
    "capi_long": ("long", "20000000", "100000"),
    "capi_getattr": ("getattr", "10000000", "100000"),
    "capi_tuple": ("tuple", "5000000", "100000"),
    "capi_dict": ("dict", "10000000", "100000"),
}

CPYTHON_REF = os.path.normpath(os.path.join(REPO, "..", "shared", "tools", "cpython-ref"))


class Interpreter:
    def __init__(self, label, argv):
        self.label = label
        self.argv = argv


class Result:
    def __init__(self, ok, seconds=None, stdout="", stderr="", note=""):
        self.ok = ok
        self.seconds = seconds
        self.stdout = stdout
        self.stderr = stderr
        self.note = note


def run_once(argv, timeout):
    start = time.perf_counter()
    try:
        proc = subprocess.run(argv, cwd=REPO, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        err = exc.stderr.decode("utf-8", "replace") if exc.stderr else ""
        return Result(False, stderr=err, note="timeout after %ds" % timeout)
    except OSError as exc:
        return Result(False, stderr=str(exc), note="cannot run")
    elapsed = time.perf_counter() - start
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        note = "exit status %d" % proc.returncode
        if proc.returncode < 0:
            note = "killed by signal %d" % -proc.returncode
        return Result(False, elapsed, out, err, note)
    return Result(True, elapsed, out, err)


def run_repeated(interp, program_args, repeat, timeout):
    best = None
    for _ in range(repeat):
        result = run_once(interp.argv + program_args, timeout)
        if not result.ok:
            return result
        if best is not None and result.stdout != best.stdout:
            return Result(False, result.seconds, result.stdout, result.stderr,
                          "output differs between runs")
        if best is None or result.seconds < best.seconds:
            best = result
    return best


def probe(argv):
    """True if `argv -c ...` runs (used for the optional CPython 3.15 reference)."""
    try:
        proc = subprocess.run(argv + ["-c", "print(1)"], cwd=REPO, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0 and proc.stdout.strip() == b"1"


def default_references():
    refs = [Interpreter("python3", ["python3"])]
    if os.path.exists(CPYTHON_REF):
        root = os.environ.get("REF_ROOT", "/opt/pyref")
        argv = [CPYTHON_REF, "python3.15"]
        if not os.path.exists(os.path.join(root, "usr", "bin", "python3.15")):
            print("note: CPython 3.15 skipped: the cpython-ref root is not set up "
                  "(run `%s setup` once, as root)" % os.path.relpath(CPYTHON_REF, REPO))
        elif probe(argv):
            refs.append(Interpreter("cpython3.15", argv))
        else:
            print("note: CPython 3.15 skipped: `%s python3.15` does not work here"
                  % os.path.relpath(CPYTHON_REF, REPO))
    return refs


def short_label(cmd):
    words = shlex.split(cmd)
    if len(words) >= 2 and os.path.basename(words[0]) == "cpython-ref":
        return words[1]
    return os.path.basename(words[0]) if words else cmd


def excerpt(text, lines):
    rows = text.rstrip("\n").splitlines()
    if len(rows) <= lines + 1:
        return rows
    return rows[:lines] + ["    ..."] + rows[-1:]


def first_difference(expected, got):
    exp = expected.splitlines()
    out = got.splitlines()
    for i in range(max(len(exp), len(out))):
        e = exp[i] if i < len(exp) else "<no line>"
        g = out[i] if i < len(out) else "<no line>"
        if e != g:
            return i + 1, e, g
    return None


def geomean(values):
    if not values:
        return None
    log_sum = 0.0
    # no math module needed, but the harness runs on CPython, so use it
    import math
    for v in values:
        log_sum += math.log(v)
    return math.exp(log_sum / len(values))


def fmt_time(seconds):
    return "-" if seconds is None else "%.3f" % seconds


def build_capibench():
    """Builds bench/capi/capibench.c for the Stable ABI (3.11 limited API) into
    target/bench-ext, with the headers of the python3 running this script."""
    import sysconfig
    out = os.path.join(REPO, "target", "bench-ext")
    os.makedirs(out, exist_ok=True)
    so = os.path.join(out, "capibench.abi3.so")
    src = os.path.join(BENCH_DIR, "capi", "capibench.c")
    if os.path.exists(so) and os.path.getmtime(so) >= os.path.getmtime(src):
        return
    cc = os.environ.get("CC", "cc")
    subprocess.run([cc, "-shared", "-fPIC", "-O2", "-I" + sysconfig.get_paths()["include"],
                    src, "-o", so], check=True)


def program_args(name, size):
    if name in CAPI_BENCHMARKS:
        workload, default, small = CAPI_BENCHMARKS[name]
        return ["bench/programs/capi_calls.py", workload, small if size == "small" else default]
    program = ["bench/programs/%s.py" % name]
    if size == "small":
        program.append(BENCHMARKS[name])
    return program


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pyrite", default=os.path.join("target", "release", "pyrite"),
                        help="Pyrite binary (default: target/release/pyrite under the repo root)")
    parser.add_argument("--ref", action="append", metavar="CMD",
                        help="reference interpreter command (repeatable; default: python3, and "
                             "CPython 3.15 through ../shared/tools/cpython-ref when it works)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per interpreter and benchmark; the minimum time is kept")
    parser.add_argument("--only", help="comma-separated benchmark names")
    parser.add_argument("--size", choices=("default", "small"), default="default",
                        help="'small' passes a small size argument for a fast smoke run")
    parser.add_argument("--timeout", type=float, default=600,
                        help="seconds before one run is abandoned (default 600)")
    parser.add_argument("--stderr-lines", type=int, default=4,
                        help="lines of stderr shown for a failure")
    parser.add_argument("--suite", choices=("interp", "capi"), default="interp",
                        help="'interp' (default): the interpreter programs; 'capi': the C API "
                             "workloads of bench/capi/capibench.c")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args()

    suite = CAPI_BENCHMARKS if args.suite == "capi" else BENCHMARKS
    if args.list:
        for name in suite:
            print(name)
        return 0

    names = list(suite)
    if args.only:
        names = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in names if n not in suite]
        if unknown:
            parser.error("unknown benchmark(s): %s (see --list)" % ", ".join(unknown))
    for name in names:
        program = program_args(name, "default")[0]
        if not os.path.exists(os.path.join(REPO, program)):
            parser.error("missing program %s" % program)
    if args.suite == "capi":
        build_capibench()

    pyrite = args.pyrite
    if not os.path.isabs(pyrite):
        pyrite = os.path.join(REPO, pyrite)
    if not os.path.exists(pyrite):
        print("error: %s does not exist; build it first with:\n"
              "    cargo build --release --bin pyrite" % os.path.relpath(pyrite, REPO),
              file=sys.stderr)
        return 2

    if args.ref:
        refs = [Interpreter(short_label(cmd), shlex.split(cmd)) for cmd in args.ref]
    else:
        refs = default_references()
    target = Interpreter("pyrite", [pyrite])

    print("repo %s, size %s, repeat %d, wall time = min over runs (seconds)"
          % (REPO, args.size, args.repeat))
    print("reference: %s (the output Pyrite must match)%s"
          % (" ".join(refs[0].argv),
             "".join("; also %s" % " ".join(r.argv) for r in refs[1:])))
    print("pyrite:    %s" % os.path.relpath(pyrite, REPO))
    print()

    name_w = max(len(n) for n in names + ["benchmark"])
    header = ["%-*s" % (name_w, "benchmark")]
    for r in refs:
        header.append("%12s" % r.label[:12])
    header.append("%10s" % "pyrite")
    for r in refs:
        header.append("%14s" % ("x " + r.label)[:14])
    print("  ".join(header))
    print("-" * len("  ".join(header)))
    sys.stdout.flush()

    ratios = [[] for _ in refs]
    failures = []
    for name in names:
        program = program_args(name, args.size)
        ref_results = [run_repeated(r, program, args.repeat, args.timeout) for r in refs]
        problem = None
        expected = ref_results[0]
        if not expected.ok:
            problem = ("reference %s failed (%s)" % (refs[0].label, expected.note),
                       excerpt(expected.stderr, args.stderr_lines))
        else:
            for r, res in zip(refs[1:], ref_results[1:]):
                if res.ok and res.stdout != expected.stdout:
                    line, e, g = first_difference(expected.stdout, res.stdout)
                    problem = ("references disagree: %s line %d" % (r.label, line),
                               ["%s: %s" % (refs[0].label, e), "%s: %s" % (r.label, g)])
        result = None
        if problem is None:
            result = run_repeated(target, program, args.repeat, args.timeout)
            if not result.ok:
                problem = ("FAIL: pyrite %s" % result.note,
                           excerpt(result.stderr, args.stderr_lines))
            elif result.stdout != expected.stdout:
                line, e, g = first_difference(expected.stdout, result.stdout)
                problem = ("FAIL: output differs at line %d" % line,
                           ["expected: %s" % e, "got:      %s" % g])
        row = ["%-*s" % (name_w, name)]
        for res in ref_results:
            row.append("%12s" % (fmt_time(res.seconds) if res.ok else "error"))
        if problem is None:
            row.append("%10s" % fmt_time(result.seconds))
            for i, res in enumerate(ref_results):
                if res.ok:
                    ratio = result.seconds / res.seconds
                    ratios[i].append(ratio)
                    row.append("%14s" % ("%.2f" % ratio))
                else:
                    row.append("%14s" % "-")
        else:
            row.append("%10s" % "FAIL")
            failures.append(name)
        print("  ".join(row))
        if problem is not None:
            title, lines = problem
            print("    " + title)
            for line in lines:
                print("      | " + line)
        sys.stdout.flush()

    print("-" * len("  ".join(header)))
    for r, values in zip(refs, ratios):
        gm = geomean(values)
        if gm is None:
            print("geometric mean pyrite/%s: - (no benchmark passed)" % r.label)
        else:
            print("geometric mean pyrite/%s: %.2f over %d benchmark(s)"
                  % (r.label, gm, len(values)))
    passed = len(names) - len(failures)
    print("passed %d/%d%s" % (passed, len(names),
                             (": failed " + ", ".join(failures)) if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
