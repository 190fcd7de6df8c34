# Weak references (`_weakref`: ref, proxy, callbacks, counts, `__weakref__`) and PEP 585
# generic aliases (`list[int]`, `__mro_entries__`).
import _weakref


class Node:
    pass


n = Node()
r = _weakref.ref(n)
assert r() is n and _weakref.ref(n) is r, "the basic reference is shared"
log = []


def first(ref):
    log.append(("first", ref() is None))


def second(ref):
    log.append(("second", ref is r2))


r1 = _weakref.ref(n, first)
r2 = _weakref.ref(n, second)
assert _weakref.getweakrefcount(n) == 3
assert r1 == r and hash(r) == hash(n)
assert r1.__callback__ is first and r.__callback__ is None
assert n.__weakref__ is r
p = _weakref.proxy(n)
n.value = 41
p.value += 1
assert n.value == 42 and p.value == 42
del n
# Callbacks run newest first, once the referent is gone.
assert log == [("second", True), ("first", True)], log
assert r() is None and r1() is None and r1 != r
try:
    p.value
except ReferenceError as e:
    assert str(e) == "weakly-referenced object no longer exists"
else:
    raise AssertionError("a dead proxy answered")
for bad in (1, "s", (), None):
    try:
        _weakref.ref(bad)
    except TypeError as e:
        assert str(e) == f"cannot create weak reference to '{type(bad).__name__}' object", e
    else:
        raise AssertionError("no TypeError")


def func():
    return "called"


fr = _weakref.ref(func)
cp = _weakref.proxy(func)
assert fr() is func and cp() == "called"
del func
assert fr() is None and _weakref.getweakrefs(r) == []
try:
    r(1)
except TypeError as e:
    assert str(e) == "weakref expected 0 arguments, got 1", e
assert _weakref.ref(int)() is int

# Generic aliases.
assert repr(list[int]) == "list[int]"
assert repr(dict[str, list[int]]) == "dict[str, list[int]]"
assert repr(tuple[int, ...]) == "tuple[int, ...]" and repr(tuple[()]) == "tuple[()]"
assert repr(set[frozenset[bytes]]) == "set[frozenset[bytes]]"
a = dict[str, int]
assert a.__origin__ is dict and a.__args__ == (str, int) and a.__parameters__ == ()
assert a == dict[str, int] and a != dict[str, bytes] and hash(list[int]) == hash(list[int])
assert list[int]("ab") == ["a", "b"] and a.__name__ == "dict" and a.fromkeys("ab", 0) == {"a": 0, "b": 0}
assert type(list[int]).__name__ == "GenericAlias"


class Ints(list[int]):
    pass


assert Ints.__bases__ == (list,) and Ints.__orig_bases__ == (list[int],) and Ints([1, 2]) == [1, 2]
assert repr(_weakref.ref[int]).endswith("[int]")


class Plain:
    pass


pl = Plain()
assert pl.__weakref__ is None and "__weakref__" in Plain.__dict__
wr = _weakref.ref(pl)
assert pl.__weakref__ is wr
print("weakref_generic_alias: ok")
