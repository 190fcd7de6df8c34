# An uncaught exception group (nested groups, a note, a truncated list): printed on stderr in
# CPython's boxed layout. Every frame line is a whole `raise` statement, so CPython prints no
# caret lines (Pyrite does not print them yet).
try:
    raise ValueError("inner")
except ValueError as e:
    e.add_note("a note\nof two lines")
    eg = ExceptionGroup("nested", [e, KeyError("k")])
try:
    raise eg
except ExceptionGroup as e:
    raise BaseExceptionGroup("outer", [e, TypeError("t"), KeyboardInterrupt()] + [OSError(i) for i in range(14)]) from None
