# dir(), vars(), compile(), min()/max() with key and default, __dir__ of objects, classes
# and modules.
import sys


class A:
    x = 1

    def m(self):
        pass


class B(A):
    y = 2


b = B()
b.z = 3
assert dir(b)[-4:] == ["m", "x", "y", "z"]
assert [n for n in dir(B) if not n.startswith("__")] == ["m", "x", "y"] and "maxsize" in dir(sys)
assert dir(b) == sorted(dir(b)) and "__init__" in dir(b) and "__add__" in dir(1) and len(dir(int)) > 50


def f():
    a = 1
    bb = 2
    return dir()


assert f() == ["a", "bb"] and sorted(vars(b)) == ["z"] and vars(B)["y"] == 2
assert max([3, 1, 2], key=lambda v: -v) == 1 and min([], default=9) == 9 and max(1, 5, 3) == 5
assert min("abc", key=ord) == "a" and max([(1, "b"), (1, "a")]) == (1, "b")
for bad, exc, msgs in [
    (lambda: vars(1), TypeError, ["vars() argument must have __dict__ attribute"]),
    (lambda: max([]), ValueError, ["max() iterable argument is empty", "max() arg is an empty sequence"]),
    (lambda: max(1, 2, default=0), TypeError, ["Cannot specify a default for max() with multiple positional arguments"]),
    (lambda: min(), TypeError, ["min expected at least 1 argument, got 0"]),
]:
    try:
        bad()
        raise AssertionError(msgs)
    except exc as e:
        assert str(e) in msgs, e


class D:
    def __dir__(self):
        return ["b", "a"]


assert dir(D()) == ["a", "b"]
c = compile("x = 5\ny = x * 2", "<s>", "exec")
ns = {}
exec(c, ns)
assert ns["y"] == 10 and eval(compile("1+2", "<e>", "eval")) == 3
assert c.co_filename == "<s>" if hasattr(c, "co_filename") else True
try:
    compile("x = (", "<bad>", "exec")
    raise AssertionError("no SyntaxError")
except SyntaxError as e:
    assert (e.msg, e.filename, e.lineno) == ("'(' was never closed", "<bad>", 1)
try:
    compile("1", "<m>", "nope")
    raise AssertionError("no ValueError")
except ValueError as e:
    assert str(e) == "compile() mode must be 'exec', 'eval' or 'single'", e


def fn(a, b=1, *args, c, **kw):
    x = a

    def g():
        return x

    return g


co = fn.__code__
assert (co.co_name, co.co_qualname, co.co_argcount, co.co_kwonlyargcount, co.co_posonlyargcount) == ("fn", "fn", 2, 1, 0)
assert co.co_varnames == ("a", "b", "c", "args", "kw", "g") and co.co_cellvars == ("x",) and co.co_freevars == ()
assert fn(1, c=2).__code__.co_freevars == ("x",) and co.co_flags & 0xF == 15 and type(co.co_code) is bytes
assert co.co_nlocals == 6 and (lambda: 0).__code__.co_name == "<lambda>" and co.co_filename == __file__

# compile(..., "single") displays top-level expression values through sys.displayhook.
shown = []
saved = sys.displayhook if hasattr(sys, "displayhook") else None
sys.displayhook = shown.append
ns = {}
for src in ["1 + 1", "None", "z = 3", "z", "if True:\n    5\n"]:
    exec(compile(src, "<single>", "single"), ns)
if saved is not None:
    sys.displayhook = saved
else:
    del sys.displayhook
assert shown == [2, None, 3, 5], shown
try:
    compile("1\n2\n", "<single>", "single")
    raise AssertionError("no SyntaxError")
except SyntaxError as e:
    assert e.msg == "multiple statements found while compiling a single statement", e

assert repr(exit) == "Use exit() or Ctrl-D (i.e. EOF) to exit" and repr(quit).startswith("Use quit()")
try:
    exit(3)
    raise AssertionError("no SystemExit")
except SystemExit as e:
    assert e.code == 3 and e.args == (3,)


# __subclasses__: immediate subclasses, oldest first.
class SA:
    pass


class SB(SA):
    pass


class SC(SA):
    pass


class SD(SB, SC):
    pass


assert SA.__subclasses__() == [SB, SC] and SB.__subclasses__() == [SD] and SC.__subclasses__() == [SD]
assert SD.__subclasses__() == [] and bool in int.__subclasses__() and int in object.__subclasses__()
print("introspection: ok")
