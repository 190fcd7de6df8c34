# Exception groups and try/except* (PEP 654): BaseExceptionGroup/ExceptionGroup construction,
# split/subgroup/derive, notes, and the except* semantics CPython implements (splitting,
# wrapping naked exceptions, merging what the clauses raise with the unhandled rest).

import sys


def expect_error(exc_type, message, f, *args):
    try:
        f(*args)
    except exc_type as e:
        assert str(e) == message, (str(e), message)
    else:
        raise AssertionError("no %s raised" % exc_type.__name__)


def leaves(eg):
    """The leaf exceptions of a group, depth first."""
    if not isinstance(eg, BaseExceptionGroup):
        return [eg]
    out = []
    for e in eg.exceptions:
        out.extend(leaves(e))
    return out


def shape(e):
    """The nesting of a group: (message, [shapes]) for groups, the repr of a leaf."""
    if isinstance(e, BaseExceptionGroup):
        return (type(e).__name__, e.message, [shape(x) for x in e.exceptions])
    return repr(e)


# ---- the types ------------------------------------------------------------------------------

assert BaseExceptionGroup.__mro__ == (BaseExceptionGroup, BaseException, object)
assert ExceptionGroup.__mro__ == (ExceptionGroup, BaseExceptionGroup, Exception, BaseException, object)
assert issubclass(ExceptionGroup, Exception)
assert ExceptionGroup.__module__ == "builtins"

v, t = ValueError(1), TypeError(2)
eg = BaseExceptionGroup("msg", [v, t])
assert type(eg) is ExceptionGroup            # all are Exceptions: an ExceptionGroup
assert eg.message == "msg"
assert eg.exceptions == (v, t)
assert type(eg.exceptions) is tuple
assert eg.args == ("msg", [v, t])
assert str(eg) == "msg (2 sub-exceptions)"
assert repr(eg) == "ExceptionGroup('msg', [ValueError(1), TypeError(2)])"
assert str(ExceptionGroup("one", (v,))) == "one (1 sub-exception)"

beg = BaseExceptionGroup("b", [v, KeyboardInterrupt()])
assert type(beg) is BaseExceptionGroup
assert not isinstance(beg, Exception)

expect_error(TypeError, "BaseExceptionGroup.__new__() takes exactly 2 arguments (1 given)", BaseExceptionGroup, "m")
expect_error(TypeError, "BaseExceptionGroup.__new__() takes exactly 2 arguments (3 given)", ExceptionGroup, "m", [v], 3)
expect_error(TypeError, "BaseExceptionGroup.__new__() argument 1 must be str, not int", ExceptionGroup, 1, [v])
expect_error(TypeError, "second argument (exceptions) must be a sequence", ExceptionGroup, "m", 1)
expect_error(TypeError, "second argument (exceptions) must be a sequence", ExceptionGroup, "m", {v})
expect_error(ValueError, "second argument (exceptions) must be a non-empty sequence", ExceptionGroup, "m", [])
expect_error(ValueError, "Item 1 of second argument (exceptions) is not an exception", ExceptionGroup, "m", [v, 1])
expect_error(TypeError, "Cannot nest BaseExceptions in an ExceptionGroup", ExceptionGroup, "m", [KeyboardInterrupt()])

class MyEG(ExceptionGroup):
    pass

expect_error(TypeError, "Cannot nest BaseExceptions in 'MyEG'", MyEG, "m", [SystemExit()])
assert type(MyEG("m", [v])) is MyEG

class MyBEG(BaseExceptionGroup):
    pass

assert type(MyBEG("m", [v])) is MyBEG        # only BaseExceptionGroup itself picks the class
assert type(MyBEG("m", [SystemExit()])) is MyBEG

try:
    ExceptionGroup("m", [v], extra=1)
except TypeError as e:
    assert str(e) == "ExceptionGroup() takes no keyword arguments", str(e)
else:
    raise AssertionError("keywords accepted")


# ---- notes ----------------------------------------------------------------------------------

e = ValueError("x")
assert not hasattr(e, "__notes__")
e.add_note("first")
e.add_note("second")
assert e.__notes__ == ["first", "second"]
try:
    e.add_note(1)
except TypeError:
    pass
else:
    raise AssertionError("a non-str note was accepted")
e.__notes__ = "not a list"
expect_error(TypeError, "Cannot add note: __notes__ is not a list", e.add_note, "y")


# ---- split, subgroup, derive ----------------------------------------------------------------

inner = ExceptionGroup("inner", [ValueError(3), KeyError(4)])
eg = ExceptionGroup("outer", [ValueError(1), TypeError(2), inner])
eg.add_note("a note")
try:
    raise eg from KeyError("cause")
except ExceptionGroup:
    pass
eg.__context__ = OSError("context")

match, rest = eg.split(ValueError)
assert shape(match) == ("ExceptionGroup", "outer", ["ValueError(1)", ("ExceptionGroup", "inner", ["ValueError(3)"])])
assert shape(rest) == ("ExceptionGroup", "outer", ["TypeError(2)", ("ExceptionGroup", "inner", ["KeyError(4)"])])
for part in (match, rest):
    # The parts keep the original's traceback, cause, context and (a copy of) its notes.
    assert part.__traceback__ is eg.__traceback__
    assert part.__cause__ is eg.__cause__
    assert part.__context__ is eg.__context__
    assert part.__notes__ == ["a note"] and part.__notes__ is not eg.__notes__
assert match.exceptions[0] is eg.exceptions[0]       # leaves are shared, not copied

assert eg.split((ValueError, KeyError))[1].exceptions == (eg.exceptions[1],)
assert eg.split(Exception) == (eg, None)             # a full match is the group itself
m, r = eg.split(OSError)
assert m is None and r is not eg and shape(r) == shape(eg)   # the rest is a new group
assert eg.subgroup(lambda x: isinstance(x, KeyError)).exceptions[0].exceptions == (inner.exceptions[1],)
assert eg.subgroup(lambda x: x is eg) is eg          # the predicate sees groups too
assert eg.subgroup(OSError) is None
assert shape(eg.subgroup(ExceptionGroup)) == shape(eg)

for bad in (1, (ValueError, 1), [ValueError]):
    try:
        eg.split(bad)
    except TypeError as e:
        # CPython 3.15's wording, then 3.11's.
        assert str(e) in ("expected an exception type, a tuple of exception types, or a callable (other than a class)",
                          "expected a function, exception type or tuple of exception types"), str(e)
    else:
        raise AssertionError("bad matcher accepted")

d = eg.derive([TypeError(9)])
assert type(d) is ExceptionGroup and d.message == "outer" and d.__traceback__ is None

class Derived(ExceptionGroup):
    def derive(self, excs):
        return Derived(self.message + "!", excs)

de = Derived("d", [ValueError(1), TypeError(2)])
m, r = de.split(ValueError)
assert type(m) is Derived and m.message == "d!" and type(r) is Derived

class BadDerive(ExceptionGroup):
    def derive(self, excs):
        return 42

expect_error(TypeError, "derive must return an instance of BaseExceptionGroup",
             BadDerive("b", [ValueError(1), TypeError(2)]).split, ValueError)


# ---- except* --------------------------------------------------------------------------------

def handle(exc, log):
    try:
        raise exc
    except* ValueError as e:
        log.append(("V", shape(e)))
    except* (TypeError, KeyError) as e:
        log.append(("TK", shape(e)))

log = []
handle(ExceptionGroup("g", [ValueError(1), TypeError(2), ExceptionGroup("h", [KeyError(3), ValueError(4)])]), log)
assert log == [
    ("V", ("ExceptionGroup", "g", ["ValueError(1)", ("ExceptionGroup", "h", ["ValueError(4)"])])),
    ("TK", ("ExceptionGroup", "g", ["TypeError(2)", ("ExceptionGroup", "h", ["KeyError(3)"])])),
]

# A naked exception matching a clause is wrapped in ExceptionGroup("", [exc]).
log = []
handle(ValueError(7), log)
assert log == [("V", ("ExceptionGroup", "", ["ValueError(7)"]))]

# Only the first matching clause sees each leaf; unmatched leaves are re-raised in the
# original structure.
try:
    handle(ExceptionGroup("g", [ValueError(1), OSError(2), ExceptionGroup("h", [OSError(3), KeyError(4)])]), log := [])
except ExceptionGroup as e:
    assert shape(e) == ("ExceptionGroup", "g", ["OSError(2)", ("ExceptionGroup", "h", ["OSError(3)"])])
else:
    raise AssertionError("the rest was not re-raised")

# A naked exception no clause matches propagates as itself.
try:
    handle(OSError(5), [])
except OSError as e:
    assert type(e) is OSError and e.args == (5,)

# Raising in a clause: the new exception and the unhandled rest come out together.
def raise_in_clause():
    try:
        raise ExceptionGroup("g", [ValueError(1), TypeError(2)])
    except* ValueError as e:
        raise KeyError("new")

try:
    raise_in_clause()
except ExceptionGroup as e:
    assert e.message == ""
    assert shape(e) == ("ExceptionGroup", "", ["KeyError('new')", ("ExceptionGroup", "g", ["TypeError(2)"])])
    new = e.exceptions[0]
    # The clause's exception was raised while the matched part was being handled.
    assert shape(new.__context__) == ("ExceptionGroup", "g", ["ValueError(1)"])

# Only one raised exception and nothing left: it propagates alone.
def raise_only():
    try:
        raise ExceptionGroup("g", [ValueError(1)])
    except* ValueError:
        raise KeyError("alone")

try:
    raise_only()
except KeyError as e:
    assert e.args == ("alone",)

# A naked exception caught and replaced: the replacement propagates unwrapped.
def naked_replaced():
    try:
        raise ValueError(1)
    except* ValueError:
        raise TypeError(2)

try:
    naked_replaced()
except TypeError as e:
    assert e.args == (2,)
    assert shape(e.__context__) == ("ExceptionGroup", "", ["ValueError(1)"])

# A bare `raise` re-raises the matched part, which keeps its place in the original group.
def reraise():
    try:
        raise ExceptionGroup("g", [ValueError(1), TypeError(2), ValueError(3)])
    except* ValueError:
        raise
    except* TypeError:
        pass

try:
    reraise()
except ExceptionGroup as e:
    assert shape(e) == ("ExceptionGroup", "g", ["ValueError(1)", "ValueError(3)"])

# Re-raised parts and new exceptions together.
def mixed():
    try:
        raise ExceptionGroup("g", [ValueError(1), TypeError(2), OSError(3)])
    except* ValueError:
        raise
    except* TypeError:
        raise KeyError(4)

try:
    mixed()
except ExceptionGroup as e:
    assert shape(e) == ("ExceptionGroup", "", ["KeyError(4)", ("ExceptionGroup", "g", ["ValueError(1)", "OSError(3)"])])

# The handled exception inside a clause is the matched group.
def handled():
    try:
        raise ExceptionGroup("g", [ValueError(1), TypeError(2)])
    except* ValueError:
        seen = sys.exception()
        assert shape(seen) == ("ExceptionGroup", "g", ["ValueError(1)"])
    except* TypeError:
        seen = sys.exception()
        assert shape(seen) == ("ExceptionGroup", "g", ["TypeError(2)"])
    assert sys.exception() is None

handled()

# else and finally.
order = []
try:
    order.append("body")
except* ValueError:
    order.append("handler")
else:
    order.append("else")
finally:
    order.append("finally")
assert order == ["body", "else", "finally"]

order = []
try:
    try:
        raise ExceptionGroup("g", [ValueError(1), TypeError(2)])
    except* ValueError:
        order.append("handler")
    finally:
        order.append("finally")
except ExceptionGroup as e:
    order.append(shape(e))
assert order == ["handler", "finally", ("ExceptionGroup", "g", ["TypeError(2)"])]

# Nested try/except* inside a clause.
def nested():
    out = []
    try:
        raise ExceptionGroup("outer", [ValueError(1), TypeError(2)])
    except* ValueError:
        try:
            raise ExceptionGroup("inner", [KeyError(3)])
        except* KeyError as k:
            out.append(shape(k))
    except* TypeError as t:
        out.append(shape(t))
    return out

assert nested() == [("ExceptionGroup", "inner", ["KeyError(3)"]), ("ExceptionGroup", "outer", ["TypeError(2)"])]

# Loops inside a clause may use break and continue.
def loop_in_clause():
    n = 0
    try:
        raise ValueError
    except* ValueError:
        for i in range(10):
            if i == 2:
                continue
            if i == 5:
                break
            n += i
    return n

assert loop_in_clause() == 0 + 1 + 3 + 4

# Base exception groups.
try:
    try:
        raise BaseExceptionGroup("b", [KeyboardInterrupt(), ValueError(1)])
    except* KeyboardInterrupt as k:
        assert type(k) is BaseExceptionGroup and len(k.exceptions) == 1
except ExceptionGroup as e:
    assert shape(e) == ("ExceptionGroup", "b", ["ValueError(1)"])

# except* rejects exception groups, and non-exception types.
def star_group(t):
    try:
        raise ValueError(1)
    except* t:
        pass

expect_error(TypeError, "catching ExceptionGroup with except* is not allowed. Use except instead.", star_group, ExceptionGroup)
expect_error(TypeError, "catching ExceptionGroup with except* is not allowed. Use except instead.", star_group, (ValueError, BaseExceptionGroup))
expect_error(TypeError, "catching classes that do not inherit from BaseException is not allowed", star_group, int)


# ---- compile-time errors --------------------------------------------------------------------

def compile_error(message, source):
    try:
        exec(source)
    except SyntaxError as e:
        assert e.msg == message, (e.msg, message)
    else:
        raise AssertionError("no SyntaxError for %r" % source)

message = "'break', 'continue' and 'return' cannot appear in an except* block"
compile_error(message, "for x in []:\n    try:\n        pass\n    except* ValueError:\n        break\n")
compile_error(message, "for x in []:\n    try:\n        pass\n    except* ValueError:\n        continue\n")
compile_error(message, "def f():\n    try:\n        pass\n    except* ValueError:\n        return\n")

print("except_star: ok")
