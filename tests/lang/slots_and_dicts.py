# __slots__, instance/class/module __dict__, mappingproxy, and slot wrappers of built-ins.
import sys


class P:
    __slots__ = ("b", "a", "__x")

    def __init__(self):
        self.a = 1
        self.__x = 3


p = P()
assert p.a == 1 and p._P__x == 3 and not hasattr(p, "__dict__")
try:
    p.b
    raise AssertionError("no AttributeError")
except AttributeError as e:
    assert str(e) == "'P' object has no attribute 'b'", e
try:
    p.c = 1
    raise AssertionError("no AttributeError")
except AttributeError as e:
    assert "'P' object has no attribute 'c'" in str(e), e
p.b = [1]
del p.a
assert not hasattr(p, "a") and p.b == [1]
assert P.__slots__ == ("b", "a", "__x") and type(P.__dict__["a"]).__name__ == "member_descriptor"
assert repr(P.a) == "<member 'a' of 'P' objects>", repr(P.a)


class Q(P):
    __slots__ = ["c", "__dict__"]


q = Q()
q.c = 5
q.z = 6
assert q.__dict__ == {"z": 6} and q.a == 1 and q.c == 5


class R(P):
    pass


r = R()
r.w = 1
assert r.__dict__ == {"w": 1}
for bad, exc, msg in [
    (lambda: type("X", (), {"__slots__": ["a", "a b"]}), TypeError, "__slots__ must be identifiers"),
    (lambda: type("X", (), {"__slots__": [1]}), TypeError, "__slots__ items must be strings, not 'int'"),
    (lambda: type("X", (), {"__slots__": ["x"], "x": 1}), ValueError, "'x' in __slots__ conflicts with class variable"),
    # ("nonempty" before 3.15, "arbitrary" since: tuple subclasses may now have slots)
    (lambda: type("X", (int,), {"__slots__": ["x"]}), TypeError, " __slots__ not supported for subtype of 'int'"),
    (lambda: type("X", (R,), {"__slots__": ["__dict__"]}), TypeError, "__dict__ slot disallowed: we already got one"),
]:
    try:
        bad()
        raise AssertionError(msg)
    except exc as e:
        assert str(e) == msg or (msg.startswith(" ") and str(e).endswith(msg)), (str(e), msg)

# Instances whose slots hold objects release them.
log = []


class Tracked:
    def __del__(self):
        log.append("del")


p.b = Tracked()
del p
assert log == ["del"], log


# __dict__ of instances, classes and modules.
class A:
    x = 1

    def __init__(self):
        self.y = 2


a = A()
assert a.__dict__ == {"y": 2}
a.__dict__["z"] = 3
assert a.z == 3
a.__dict__ = {"q": 1}
assert a.q == 1 and not hasattr(a, "y")
try:
    a.__dict__ = 5
    raise AssertionError("no TypeError")
except TypeError as e:
    assert str(e) == "__dict__ must be set to a dictionary, not a 'int'", e
d = A.__dict__
assert type(d).__name__ == "mappingproxy" and d["x"] == 1 and "x" in d and d.get("nope", 7) == 7
assert "__init__" in list(d.keys()) and len(d) == len(dict(d.items()))
try:
    d["x"] = 2
    raise AssertionError("no TypeError")
except TypeError as e:
    assert str(e) == "'mappingproxy' object does not support item assignment", e
assert sys.__dict__["maxsize"] == sys.maxsize and sys.modules[__name__].__dict__ is globals()
assert (A.__dict__ | {"k": 1})["k"] == 1

# Slot wrappers of built-in types.
assert int.__add__(2, 3) == 5 and (2).__mul__(4) == 8 and (5).__rsub__(7) == 2
assert [1, 2].__len__() == 2 and [1, 2].__getitem__(-1) == 2 and (1).__neg__() == -1
assert iter([7]).__next__() == 7 and "ab".__contains__("a") and (0).__bool__() is False
it = iter([])
try:
    it.__next__()
    raise AssertionError("no StopIteration")
except StopIteration:
    pass
x = [1, 2]
x.__setitem__(0, 5)
x.__delitem__(1)
assert x == [5]
assert (2.5).__float__() == 2.5 and (3).__index__() == 3 and int.__dict__["__add__"].__name__ == "__add__"
print("slots_and_dicts: ok")
