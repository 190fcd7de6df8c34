"""Python-level checks of ext-tests/modules/rt_subinterp.c: code run in sub-interpreters
(`run_in_subinterpreter` makes one, runs the source in its __main__ and ends it)."""
import os
import sys
import tempfile

_threads_checked = []


def check(m):
    before = set(sys.modules)
    # The standard library imports and runs there (importlib, packages, native modules).
    m.run_in_subinterpreter(
        "import json, importlib.util\n"
        "assert json.loads('[1, 2]') == [1, 2]\n"
        "assert importlib.util.find_spec('json') is not None\n"
    )
    # Its own sys: sys.modules with its __main__, a sys.path list, its own streams.
    m.run_in_subinterpreter(
        "import sys\n"
        "assert sys.modules['__main__'].__name__ == '__main__'\n"
        "assert 'rt_subinterp' not in sys.modules\n"
        "assert isinstance(sys.path, list) and sys.path\n"
        "assert sys.stdout is sys.__stdout__ and sys.stdout.fileno() == 1\n"
    )
    # What it imported is not in the main interpreter's sys.modules.
    assert set(sys.modules) == before, set(sys.modules) ^ before
    # The exception being handled here is not handled there.
    try:
        raise LookupError("handled in the main interpreter")
    except LookupError:
        m.run_in_subinterpreter("import sys\nassert sys.exception() is None, sys.exception()\n")
    # An exception raised there comes back described.
    try:
        m.run_in_subinterpreter("raise ValueError('from the sub-interpreter')")
    except RuntimeError as e:
        assert str(e) == "ValueError('from the sub-interpreter')", e
    else:
        raise AssertionError("no exception")
    if not _threads_checked:
        # Only in the first round: starting a threading.Thread leaves two objects behind on
        # Pyrite, in the main interpreter too, which the later rounds' count would report.
        _threads_checked.append(True)
        check_threads(m)
    # Its atexit functions run when it ends.
    fd, path = tempfile.mkstemp()
    os.close(fd)
    try:
        m.run_in_subinterpreter(
            "import atexit\n"
            "def bye():\n"
            f"    with open({path!r}, 'w') as f:\n"
            "        f.write('ended')\n"
            "atexit.register(bye)\n"
        )
        with open(path) as f:
            assert f.read() == "ended"
    finally:
        os.unlink(path)


def check_threads(m):
    # A thread started there runs in it (imports see its sys.modules).
    m.run_in_subinterpreter(
        "import sys, threading\n"
        "seen = []\n"
        "def work():\n"
        "    import sys as s\n"
        "    seen.append(s.modules is sys.modules)\n"
        "t = threading.Thread(target=work)\n"
        "t.start()\n"
        "t.join()\n"
        "assert seen == [True], seen\n"
    )
    # Ending it waits for its threads.
    fd, path = tempfile.mkstemp()
    os.close(fd)
    try:
        m.run_in_subinterpreter(
            "import threading, time\n"
            "def work():\n"
            "    time.sleep(0.02)\n"
            f"    with open({path!r}, 'a') as f:\n"
            "        f.write('thread ')\n"
            "threading.Thread(target=work).start()\n"
        )
        with open(path) as f:
            assert f.read() == "thread ", path
    finally:
        os.unlink(path)
