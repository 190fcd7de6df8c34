"""Python-level checks of ext-tests/modules/rt_errors.c: the handled exception seen from C,
syntax locations read from a file, unraisable exceptions, warnings and audit hooks."""
import io
import os
import sys
import tempfile
import warnings

AUDITED = []
_hooked = []


def _audit_hook(event, args):
    if event.startswith("rt_errors."):
        AUDITED.append((event, args))
        if event == "rt_errors.refused":
            raise PermissionError("refused by the hook")


class Thing:
    def __repr__(self):
        return "<Thing>"


def check(m):
    # PyErr_GetExcInfo sees the exception an except block handles (limited API 3.3+).
    if not 0 < m.LIMITED_API < 0x03030000:
        assert m.exc_info() == (None, None, None)
        try:
            raise KeyError("in driver")
        except KeyError as e:
            assert m.exc_info() == sys.exc_info() and m.exc_info()[1] is e
        assert m.exc_info() == (None, None, None)

    fd, path = tempfile.mkstemp(suffix=".py", dir=os.path.dirname(os.path.abspath(__file__)))
    try:
        with os.fdopen(fd, "w") as f:
            f.write("first\n  second line\n")
        assert m.syntax_location(path) is None
    finally:
        os.unlink(path)

    # PyErr_WriteUnraisable with the default hook writes to sys.stderr.
    old = sys.stderr
    sys.stderr = io.StringIO()
    try:
        m.unraisable(Thing(), "lost")
        m.unraisable(None, "lost without object")
        text = sys.stderr.getvalue()
    finally:
        sys.stderr = old
    assert text.startswith("Exception ignored in: <Thing>\n"), text
    assert "RuntimeError: lost\n" in text and text.endswith("RuntimeError: lost without object\n"), text

    # Warnings: category, message, where they point.
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        line = sys._getframe().f_lineno + 1
        m.warn(UserWarning, "from C", 1)
        m.warn(None, "no category", 1)
        m.warn_format(FutureWarning, 3)
        m.warn_explicit(SyntaxWarning, "explicit", "rt_fake.py", "rt_fake", None)
        src = Thing()
        m.resource_warning(src)
    expected = [(UserWarning, "from C"), (RuntimeWarning, "no category"), (FutureWarning, "formatted 3 warning"),
                (SyntaxWarning, "explicit")]
    has_resource_warning = not 0 < m.LIMITED_API < 0x03060000
    if has_resource_warning:
        expected.append((ResourceWarning, "unclosed thing"))
    assert [(x.category, str(x.message)) for x in w] == expected, [(x.category, str(x.message)) for x in w]
    assert w[0].filename == __file__ and w[0].lineno == line, (w[0].filename, w[0].lineno)
    assert w[2].lineno == line + 2
    assert (w[3].filename, w[3].lineno) == ("rt_fake.py", 7)
    assert not has_resource_warning or w[4].source is src
    # The "error" action turns them into exceptions; a registry records "once".
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            m.warn(DeprecationWarning, "as error", 1)
        except DeprecationWarning as e:
            assert str(e) == "as error"
        else:
            raise AssertionError("no DeprecationWarning")
        try:
            m.warn_explicit(UserWarning, "explicit error", "rt_fake.py", None, None)
        except UserWarning as e:
            assert str(e) == "explicit error"
        else:
            raise AssertionError("no UserWarning")
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("default")
        registry = {}
        m.warn_explicit(UserWarning, "once", "rt_fake.py", "rt_fake", registry)
        m.warn_explicit(UserWarning, "once", "rt_fake.py", "rt_fake", registry)
        assert len(w) == 1 and ("once", UserWarning, 7) in registry, (w, registry)

    # Audit hooks (3.13's PySys_Audit/PySys_AuditTuple; a hook cannot be removed, so one is
    # added once and records only this test's events).
    if m.LIMITED_API == 0 or m.LIMITED_API >= 0x030D0000:
        if not _hooked:
            sys.addaudithook(_audit_hook)
            _hooked.append(1)
        AUDITED.clear()
        try:
            m.audit("rt_errors.event", 5)
        except TypeError as e:
            assert str(e) == "args must be tuple, got NoneType", e
        else:
            raise AssertionError("no TypeError")
        assert AUDITED == [("rt_errors.event", (5, "x")), ("rt_errors.event", (5,)), ("rt_errors.event", ()),
                           ("rt_errors.event", ())], AUDITED
        try:
            m.audit("rt_errors.refused", 1)
        except PermissionError as e:
            assert str(e) == "refused by the hook"
        else:
            raise AssertionError("the hook's exception was lost")
        AUDITED.clear()
