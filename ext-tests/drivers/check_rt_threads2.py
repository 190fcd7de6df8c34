"""Python-level checks of ext-tests/modules/rt_threads2.c: _PyThreadState_Init is a fatal
error in CPython 3.11+ (it ends a forked child here)."""
import signal


def check(m):
    sig, status, err = m.thread_state_init_in_child()
    assert sig == signal.SIGABRT and status == -1, (sig, status, err)
    assert err.startswith("Fatal Python error: _PyThreadState_Init: _PyThreadState_Init() is for internal use only\n"), err
