# Weak references (`_weakref`: ref, proxy, callbacks, counts) and PEP 585 generic aliases
# (`list[int]`, `__mro_entries__`).
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
    print("dead proxy:", e)
for bad in (1, "s", (), None):
    try:
        _weakref.ref(bad)
    except TypeError as e:
        print(e)


def func():
    return "called"


fr = _weakref.ref(func)
cp = _weakref.proxy(func)
print(fr() is func, cp())
del func
print(fr(), _weakref.getweakrefs(r) == [])
try:
    r(1)
except TypeError as e:
    print(e)

# Generic aliases.
print(list[int], dict[str, list[int]], tuple[int, ...], tuple[()], set[frozenset[bytes]])
a = dict[str, int]
print(a.__origin__, a.__args__, a.__parameters__, a == dict[str, int], a != dict[str, bytes])
print(list[int]("ab"), hash(list[int]) == hash(list[int]))
print(a.__name__, a.fromkeys("ab", 0))


class Ints(list[int]):
    pass


print(Ints.__bases__, Ints.__orig_bases__, Ints([1, 2]))
print(type(list[int]).__name__, _weakref.ref[int])


class Plain:
    pass


pl = Plain()
print(pl.__weakref__, "__weakref__" in Plain.__dict__)
wr = _weakref.ref(pl)
print(pl.__weakref__ is wr)
