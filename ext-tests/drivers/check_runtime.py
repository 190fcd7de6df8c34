"""Python-level checks of ext-tests/modules/runtime.c."""
import os
import signal
import sys
import threading


class Plain:
    pass


class Stop(Exception):
    pass


def check(m):
    # PyImport_ReloadModule runs the module's code again in the same module object.
    import json
    assert m.reload("json") is json

    # PyImport_GetImporter: the cached finder of a sys.path entry (None for a non-directory).
    here = os.path.dirname(os.path.abspath(__file__))
    finder = m.get_importer(here)
    assert finder is m.get_importer(here) and hasattr(finder, "find_spec"), finder
    assert sys.path_importer_cache[here] is finder

    # PyFile_FromFd over a pipe, closefd=0.
    r, w = os.pipe()
    try:
        out = m.file_from_fd(w, "w")
        out.write("through PyFile_FromFd\n")
        out.close()
        f = m.file_from_fd(r, "rb")
        assert f.readline() == b"through PyFile_FromFd\n"
        f.close()
    finally:
        os.close(r)
        os.close(w)

    assert m.is_tracked([]) and m.is_tracked(Plain()) and not m.is_tracked(7) and not m.is_tracked("s")

    # PyErr_SetInterruptEx: the Python handler runs at the next check; SIG_IGN/SIG_DFL ignore it.
    got = []
    old = signal.signal(signal.SIGUSR1, lambda sig, frame: got.append(sig))
    try:
        assert m.interrupt(signal.SIGUSR1) == 0 and got == [signal.SIGUSR1], got
    finally:
        signal.signal(signal.SIGUSR1, old)
    signal.signal(signal.SIGUSR1, signal.SIG_IGN)
    try:
        assert m.interrupt(signal.SIGUSR1) == 0
    finally:
        signal.signal(signal.SIGUSR1, old)
    try:
        m.interrupt(signal.SIGINT)
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("PyErr_SetInterruptEx(SIGINT) did not raise KeyboardInterrupt")

    # A pending call runs on the main thread while Python code loops.
    before = m.pending_count()
    assert m.add_pending(4) == 0
    for _ in range(100000):
        if m.pending_count() != before:
            break
    assert m.pending_count() == before + 4

    # PyThreadState_SetAsyncExc: the thread raises it at its next eval break.
    assert m.set_async_exc(threading.get_ident() + 12345, Stop) == 0
    try:
        # CPython may raise it as soon as the call returns.
        assert m.set_async_exc(threading.get_ident(), Stop) == 1
        for _ in range(10000000):
            pass
    except Stop:
        pass
    else:
        raise AssertionError("the async exception was not raised")
    assert m.set_async_exc(threading.get_ident(), None) == 1

    def caller():
        return m.current_frame_name()

    name = caller()
    assert name in ("caller", "unavailable"), name

    try:
        m.raise_here()
    except ValueError as e:
        # PyTraceBack_Here's entry for this frame, then the one the call itself adds.
        tb, lines = e.__traceback__, []
        while tb is not None:
            lines.append(tb.tb_lineno)
            tb = tb.tb_next
        assert len(lines) == 2 and lines[0] == lines[1], lines

    prefix, exec_prefix, executable, path, program = m.paths()
    assert prefix == sys.prefix and exec_prefix == sys.exec_prefix, (prefix, sys.prefix)
    assert executable == sys.executable, (executable, sys.executable)
    assert path is not None and isinstance(program, str)
    argv = m.argc_argv()
    assert argv is None or (isinstance(argv, list) and len(argv) >= 1), argv
