"""Runs one file of CPython's Lib/test under unittest and reports its counts.

    pyrite tests/libtest/run.py test_int [-v]

Imports `test.<name>` from the Lib/ on sys.path (Debian's libpython3.15-testsuite, fetched by
tools/fetch-cpython315.sh), loads its tests as `python -m unittest` would (honouring
`load_tests`), runs them, and prints, as the last line of stdout,

    LIBTEST {"file": ..., "run": N, "passed": N, "failed": N, "errors": N, "skipped": N, ...}

`failed` counts failures and unexpected successes, `errors` errors (import errors of the
module itself included), `passed` the rest that ran (expected failures included, as unittest
counts them successful). A test still running after TEST_SECONDS is interrupted and counts
as an error. With -v, each test's outcome goes to stderr.
"""

import io
import json
import os
import signal
import sys
import time
import traceback
import unittest


TEST_SECONDS = 60


class TestTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise TestTimeout(f"test took more than {TEST_SECONDS} s")


class CountingResult(unittest.TextTestResult):
    """Records each outcome, and stops any one test after TEST_SECONDS (SIGALRM)."""

    def __init__(self, stream, descriptions, verbosity):
        super().__init__(stream, descriptions, verbosity)
        self.outcomes = []

    def startTest(self, test):
        super().startTest(test)
        signal.alarm(TEST_SECONDS)

    def stopTest(self, test):
        signal.alarm(0)
        super().stopTest(test)

    def addSuccess(self, test):
        super().addSuccess(test)
        self.outcomes.append(("pass", test.id()))

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.outcomes.append(("FAIL", test.id()))

    def addError(self, test, err):
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
    add_limited_extensions()
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
    if suite is not None:
        stream = io.StringIO()
        runner = unittest.TextTestRunner(stream=stream, verbosity=0, resultclass=CountingResult)
        result = runner.run(suite)
        failed = len(result.failures) + len(result.unexpectedSuccesses)
        errors = len(result.errors)
        skipped = len(result.skipped)
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
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
