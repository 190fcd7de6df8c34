"""Python-level checks of ext-tests/modules/rt_life.c: the calls that end or replace the
interpreter, each run in a forked child (exit signal, exit status, output)."""
import os
import signal
import sys

_hook = []
DEBUG = os.environ.get("RT_LIFE_DEBUG")


def _child_hook():
    print("at-fork child hook", flush=True)


def check(m):
    if not _hook:
        os.register_at_fork(after_in_child=_child_hook)
        _hook.append(1)
    results = {name: getattr(m, name)() for name in sorted(dir(m)) if name.startswith("run_")}
    if DEBUG:
        for k, v in results.items():
            print(k, v)
        return
    assert results["run_exit"] == (0, 3, "before Py_Exit\n"), results["run_exit"]
    sig, status, out = results["run_fatal"]
    assert sig == signal.SIGABRT and status == -1 and out.startswith("Fatal Python error: rt_life fatal error\n"), results["run_fatal"]
    assert results["run_finalize_ex"] == (0, 7, "before Py_FinalizeEx\n"), results["run_finalize_ex"]
    assert results["run_finalize"] == (0, 9, "before Py_Finalize\n"), results["run_finalize"]
    for name in "run_after_fork_child", "run_after_fork_legacy":
        assert results[name] == (0, 0, "at-fork child hook\nchild runs Python\n"), (name, results[name])
    assert results["run_configuration"] == (0, 0, "0\n"), results["run_configuration"]
    assert results["run_print_system_exit"] == (0, 5, "before PyErr_Print\n"), results["run_print_system_exit"]
    assert results["run_print_system_exit_text"] == (0, 1, "bye from rt_life\n"), results["run_print_system_exit_text"]
    if sys.version_info < (3, 13):
        assert results["run_bytes_main"] == (0, 4, "bytes main ['-c']\n"), results["run_bytes_main"]
        assert results["run_main"] == (0, 20, "wide main ['x\xe9']\n"), results["run_main"]
    else:
        # 3.13+: the main program cannot start while one is running.
        error = "interpreters.InterpreterError: interpreter already running\n"
        if sys.version_info >= (3, 15):
            error = "concurrent." + error
        assert results["run_bytes_main"] == (0, 1, error), results["run_bytes_main"]
        assert results["run_main"] == (0, 21, error), results["run_main"]
