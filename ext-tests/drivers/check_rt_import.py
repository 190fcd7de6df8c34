"""Python-level checks of ext-tests/modules/rt_import.c: PyImport_AppendInittab after
initialization ends the (forked) process with a fatal error, as CPython does."""
import os
import signal
import sys
import warnings


def check(m):
    # PyImport_ImportModuleNoBlock: PyImport_ImportModule, deprecated (with a warning) in 3.13+.
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        assert m.import_no_block("os") is os
    if sys.version_info >= (3, 13):
        assert [(x.category, str(x.message)) for x in w] == [(DeprecationWarning,
            "PyImport_ImportModuleNoBlock() is deprecated and scheduled for removal in Python 3.15. "
            "Use PyImport_ImportModule() instead.")], w
    else:
        assert w == [], w

    sig, status, err = m.append_inittab_in_child()
    if sys.version_info < (3, 12):
        assert (sig, status, err) == (0, 11, ""), (sig, status, err)
        return
    assert sig == signal.SIGABRT and status == -1, (sig, status, err)
    assert err.startswith("Fatal Python error: PyImport_AppendInittab: "
                          "PyImport_AppendInittab() may not be called after Py_Initialize()\n"), err
