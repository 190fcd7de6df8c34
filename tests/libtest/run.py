"""Runs one file of CPython's Lib/test under unittest and reports its counts.

    pyrite tests/libtest/run.py test_int [-v]

Imports `test.<name>` from the Lib/ on sys.path (Debian's libpython3.15-testsuite, fetched by
tools/fetch-cpython315.sh), loads its tests as `python -m unittest` would (honouring
`load_tests`), runs them, and prints, as the last line of stdout,

    LIBTEST {"file": ..., "run": N, "passed": N, "failed": N, "errors": N, "skipped": N, ...}

`failed` counts failures and unexpected successes, `errors` errors (import errors of the
module itself included), `skipped` the tests skipped in whole or in part (a skipped subtest),
`passed` the rest that ran (expected failures included, as unittest counts them
successful). A test still running after TEST_SECONDS is interrupted and counts as an error. With -v, each test's outcome goes to stderr.
Resources are enabled as CPython's CI runs regrtest (`-u all,-cpu`).

Files of `test_capi` (CPython's C API tests) mostly do `import_helper.import_module('_testcapi')`
at the top, although many of their tests call only `_testlimitedcapi` (a Stable-ABI build that
Pyrite loads). For a `test_capi.*` file only, the runner first puts into `sys.modules` honest
stand-ins for `_testcapi` and `_testinternalcapi` (CPython's full-API and internal-API test
modules, which Pyrite cannot load): their only real attributes are platform constants with
their true values on x86-64 Linux (`PY_SSIZE_T_MAX`, `INT_MAX`, `SIZEOF_WCHAR_T`, ...); reading
any other attribute in a test raises `unittest.SkipTest("needs _testcapi.<name>: ...")`, so
each test that touches them is counted as skipped, never as passed. While the file itself is
being imported, such a name (`from _testcapi import HeapCTypeSubclass`, a class body's
`_testcapi.instancemethod(f)`) is bound to a placeholder instead that raises the same SkipTest
at its first use, so one module-level name does not skip the whole file. Such a SkipTest raised
in a thread the test started is handed to the main thread (see `_thread_excepthook`), and when
threads remain at the end (a skipped test's helpers, waiting for work no stand-in can do) the
runner ends the process without joining them. A test whose child Python process fails to
import `_testcapi`/`_testinternalcapi` (no stand-ins there) is counted as skipped as well.
"""

import io
import json
import os
import signal
import sys
import threading
import time
import traceback
import unittest


TEST_SECONDS = 60


class TestTimeout(Exception):
    pass


_default_thread_excepthook = threading.excepthook


def _alarm(signum, frame):
    global _thread_skip, _thread_skip_raised
    if _thread_skip is not None:
        skip, _thread_skip, _thread_skip_raised = _thread_skip, None, True
        raise skip
    if time.monotonic() < _alarm_deadline - 1:
        return      # a late hand-over signal (the test already ended): not the alarm
    raise TestTimeout(f"test took more than {TEST_SECONDS} s")


class StandInSkip(unittest.SkipTest):
    """What the `_testcapi`/`_testinternalcapi` stand-ins raise."""


# A stand-in's SkipTest raised in a thread that a test started never reaches unittest, and
# the test would wait forever for the work that thread was to do (test_misc's pending-call
# tests). Such a SkipTest is handed to the main thread: the thread excepthook keeps it and
# sends SIGALRM, whose handler raises it there (Pyrite's lock waits and joins, like
# CPython's, are interrupted by a handler that raises), so the test counts as skipped.
_thread_skip = None
# Whether this test already got one (its other threads may raise more).
_thread_skip_raised = False
_alarm_deadline = 0.0


def _thread_excepthook(args):
    global _thread_skip
    if isinstance(args.exc_value, StandInSkip):
        if _thread_skip is None and not _thread_skip_raised:
            _thread_skip = args.exc_value
            os.kill(os.getpid(), signal.SIGALRM)
        return
    _default_thread_excepthook(args)


def _stand_in_skip(err):
    """The stand-in's SkipTest an error grew out of (a test's cleanup turned it into
    another exception, e.g. threading_helper's "Unable to join" after a handed-over skip)."""
    e, seen = err[1], set()
    while e is not None and id(e) not in seen:
        if isinstance(e, StandInSkip):
            return e
        seen.add(id(e))
        e = e.__cause__ or e.__context__
    return None


class CountingResult(unittest.TextTestResult):
    """Records each outcome, and stops any one test after TEST_SECONDS (SIGALRM)."""

    def __init__(self, stream, descriptions, verbosity):
        super().__init__(stream, descriptions, verbosity)
        self.outcomes = []

    def startTest(self, test):
        global _thread_skip, _thread_skip_raised, _alarm_deadline
        super().startTest(test)
        _thread_skip, _thread_skip_raised = None, False
        _alarm_deadline = time.monotonic() + TEST_SECONDS
        signal.alarm(TEST_SECONDS)

    def stopTest(self, test):
        global _thread_skip, _thread_skip_raised
        signal.alarm(0)
        _thread_skip, _thread_skip_raised = None, True
        super().stopTest(test)

    def addSuccess(self, test):
        super().addSuccess(test)
        self.outcomes.append(("pass", test.id()))

    def addFailure(self, test, err):
        if (skip := _stand_in_skip(err)) is not None:
            return self.addSkip(test, str(skip))
        super().addFailure(test, err)
        self.outcomes.append(("FAIL", test.id()))

    def addError(self, test, err):
        if (skip := _stand_in_skip(err)) is not None:
            return self.addSkip(test, str(skip))
        super().addError(test, err)
        self.outcomes.append(("ERROR", test.id()))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.outcomes.append(("skip", test.id()))

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self.outcomes.append(("xfail", test.id()))

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self.outcomes.append(("XPASS", test.id()))

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            kind = "FAIL" if issubclass(err[0], test.failureException) else "ERROR"
            self.outcomes.append((kind, subtest.id()))


def add_limited_extensions():
    """Puts CPython's own limited-API extensions (Debian's lib-dynload: `_testlimitedcapi`,
    `xxlimited*`, built by CPython's build against the Stable ABI) on sys.path, and only those:
    the rest of lib-dynload uses CPython's internal API and must not shadow Pyrite's modules."""
    import tempfile
    dynload = os.path.join(os.path.dirname(os.__file__), "lib-dynload")
    if not os.path.isdir(dynload):
        return
    links = tempfile.mkdtemp(prefix="pyrite-limited-ext-")
    for f in os.listdir(dynload):
        if f.startswith(("_testlimitedcapi.", "xxlimited.", "xxlimited_35.", "xxlimited_3_13.", "_testclinic_limited.")):
            os.symlink(os.path.join(dynload, f), os.path.join(links, f))
    sys.path.append(links)


SKIP_REASON = "needs {}: not a limited-API module, Pyrite cannot load it"


def _c_limits():
    """The C limits `_testcapi` exports, for x86-64 Linux (LP64: int 32 bits, long, long long,
    size_t and pointers 64 bits; wchar_t 32 bits), derived where Python can see them."""
    ssize_max = sys.maxsize                      # Py_ssize_t is 64-bit: sys.maxsize is its max
    int_bits, long_bits, short_bits = 32, ssize_max.bit_length() + 1, 16   # LP64
    limits = {
        "PY_SSIZE_T_MAX": ssize_max, "PY_SSIZE_T_MIN": -ssize_max - 1,
        "SIZE_MAX": 2 * ssize_max + 1,
        "CHAR_MAX": 127, "CHAR_MIN": -128, "UCHAR_MAX": 255,   # char is signed on x86-64
        "SHRT_MAX": 2**(short_bits - 1) - 1, "SHRT_MIN": -2**(short_bits - 1),
        "USHRT_MAX": 2**short_bits - 1,
        "INT_MAX": 2**(int_bits - 1) - 1, "INT_MIN": -2**(int_bits - 1), "UINT_MAX": 2**int_bits - 1,
        "LONG_MAX": 2**(long_bits - 1) - 1, "LONG_MIN": -2**(long_bits - 1),
        "ULONG_MAX": 2**long_bits - 1,
        "LLONG_MAX": 2**63 - 1, "LLONG_MIN": -2**63, "ULLONG_MAX": 2**64 - 1,
        "INT32_MAX": 2**31 - 1, "INT32_MIN": -2**31, "UINT32_MAX": 2**32 - 1,
        "INT64_MAX": 2**63 - 1, "INT64_MIN": -2**63, "UINT64_MAX": 2**64 - 1,
        # PyTime_t is int64_t.
        "PyTime_MAX": 2**63 - 1, "PyTime_MIN": -2**63,
        # double is IEEE binary64: sys.float_info; float is binary32.
        "DBL_MAX": sys.float_info.max, "DBL_MIN": sys.float_info.min,
        "FLT_MAX": (2 - 2**-23) * 2.0**127, "FLT_MIN": 2.0**-126,
        "SIZEOF_VOID_P": (ssize_max.bit_length() + 1) // 8,   # pointers are as wide as Py_ssize_t
        "SIZEOF_WCHAR_T": 4,                      # glibc's wchar_t is UCS-4
        "SIZEOF_TIME_T": 8, "SIZEOF_PID_T": 4,
        # Include/compile.h's start symbols and compiler flags.
        "Py_single_input": 256, "Py_file_input": 257, "Py_eval_input": 258,
        "PyCF_ONLY_AST": 0x0400, "PyCF_IGNORE_COOKIE": 0x0800,
        # CPython's PyBytesWriter keeps this many bytes inline; test_bytes reads it only in the
        # class body of writer tests that all need _testcapi (and so skip).
        "PyBytesWriter_small_buffer": 256,
    }
    return limits


class _Missing:
    """What a name of a stand-in module is bound to while the test file is imported: its
    first use in a test raises SkipTest. A call during the import (a class body's
    `_testcapi.instancemethod(f)`) gives another placeholder."""

    importing = False

    def __init__(self, what):
        object.__setattr__(self, "_what", what)

    def _skip(self, *args, **kwargs):
        raise StandInSkip(SKIP_REASON.format(object.__getattribute__(self, "_what")))

    def __call__(self, *args, **kwargs):
        if _Missing.importing:
            return _Missing(object.__getattribute__(self, "_what"))
        self._skip()

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        self._skip()

    def __repr__(self):
        return f"<not loaded: {object.__getattribute__(self, '_what')}>"

    __setattr__ = __delattr__ = __bool__ = __len__ = __iter__ = __contains__ = _skip
    __getitem__ = __setitem__ = __index__ = __int__ = __float__ = _skip
    __lt__ = __le__ = __gt__ = __ge__ = __add__ = __radd__ = __sub__ = __rsub__ = _skip
    __mro_entries__ = __instancecheck__ = __subclasscheck__ = _skip
    __eq__ = object.__eq__
    __hash__ = object.__hash__


class StandInModule(type(sys)):
    """`_testcapi` / `_testinternalcapi` for Pyrite: real constants, and SkipTest for the rest."""

    # Functions CPython has only in some builds, which the files probe with hasattr() at
    # import (test_object's skipUnless): absent, so those tests skip with the files' reason.
    PROBED_WITH_HASATTR = {"negative_refcount", "decref_freed_object"}

    def __getattr__(self, name):
        if (name.startswith("__") and name.endswith("__")) or name in self.PROBED_WITH_HASATTR:
            raise AttributeError(name)
        what = f"{self.__name__}.{name}"
        if _Missing.importing:
            return _Missing(what)
        raise StandInSkip(SKIP_REASON.format(what))


def install_capi_standins():
    testcapi = StandInModule("_testcapi")
    testcapi.__dict__.update(_c_limits())
    internal = StandInModule("_testinternalcapi")
    internal._Py_MAX_UNICODE = sys.maxunicode     # 0x10FFFF
    internal.SIZEOF_PYOBJECT = 16                 # ob_refcnt + ob_type (GIL build)
    sys.modules.setdefault("_testcapi", testcapi)
    sys.modules.setdefault("_testinternalcapi", internal)
    # A child Python a test starts (`assert_python_failure("-c", "import _testcapi ...")`)
    # has no stand-ins: when it fails to import them, the test needs them, and skips.
    from test.support import script_helper
    run_until_end = script_helper.run_python_until_end

    def run_python_until_end(*args, **env_vars):
        result, cmd_line = run_until_end(*args, **env_vars)
        for module in ("_testcapi", "_testinternalcapi"):
            if f"No module named '{module}'".encode() in result.err:
                raise StandInSkip(SKIP_REASON.format(f"{module} in a child process"))
        return result, cmd_line

    script_helper.run_python_until_end = run_python_until_end


def enable_resources():
    """Every test resource but 'cpu', as CPython's CI runs regrtest (`-u all,-cpu`): left at
    None, `test.support` would enable all of them, and the 'cpu' tests (minutes-long big-int
    and stress loops, e.g. test_int's `_pylong` conversions) would run too."""
    from test import support
    # test.libregrtest.utils.ALL_RESOURCES of 3.15 (that module imports faulthandler, which
    # Pyrite does not have).
    all_resources = ("audio", "console", "curses", "largefile", "network", "decimal", "cpu",
                     "subprocess", "urlfetch", "gui", "walltime")
    support.use_resources = {r: None for r in all_resources if r != "cpu"}


def main(argv):
    verbose = "-v" in argv
    names = [a for a in argv if not a.startswith("-")]
    if len(names) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    name = names[0]
    report = {"file": name, "run": 0, "passed": 0, "failed": 0, "errors": 0, "skipped": 0}
    start = time.monotonic()
    signal.signal(signal.SIGALRM, _alarm)
    threading.excepthook = _thread_excepthook
    add_limited_extensions()
    enable_resources()
    capi_standins = name.startswith("test_capi.")
    if capi_standins:
        install_capi_standins()
        _Missing.importing = True
    try:
        module = __import__("test." + name, fromlist=["*"])
        suite = unittest.defaultTestLoader.loadTestsFromModule(module)
    except unittest.SkipTest as e:
        report["skipped_module"] = str(e)
        suite = None
    except BaseException as e:
        report["errors"] = 1
        report["import_error"] = "".join(traceback.format_exception_only(type(e), e)).strip()[-500:]
        suite = None
    _Missing.importing = False
    if suite is not None:
        stream = io.StringIO()
        runner = unittest.TextTestRunner(stream=stream, verbosity=0, resultclass=CountingResult)
        result = runner.run(suite)
        failed = len(result.failures) + len(result.unexpectedSuccesses)
        errors = len(result.errors)
        # A test with skipped subtests counts once (unittest counts each subtest).
        skipped = len({tid.split(" ")[0] for kind, tid in result.outcomes if kind == "skip"})
        report.update(run=result.testsRun, failed=failed, errors=errors, skipped=skipped)
        # A test with failing subtests counts once (unittest counts each subtest).
        failed_tests = {tid.split(" ")[0] for kind, tid in result.outcomes if kind in ("FAIL", "ERROR", "XPASS")}
        report["passed"] = max(0, result.testsRun - skipped - len(failed_tests))
        if verbose:
            for kind, tid in result.outcomes:
                print(f"{kind:6} {tid}", file=sys.stderr)
            print(stream.getvalue()[-20000:], file=sys.stderr)
    report["seconds"] = round(time.monotonic() - start, 1)
    # Straight to fd 1: a test may have left sys.stdout redirected.
    try:
        sys.stdout.flush()
    except Exception:
        pass
    os.write(1, ("\nLIBTEST " + json.dumps(report, sort_keys=True) + "\n").encode())
    if threading.active_count() > 1:
        # Threads of skipped tests may wait forever for work a stand-in could not do;
        # the interpreter's exit would join them.
        os._exit(0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
