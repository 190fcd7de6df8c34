# requires: 3.15
# CPython 3.14+: frozenset(iterable) of items that cannot be in a cycle is not tracked by the
# collector; other frozensets and sets are.
import gc


class F(frozenset):
    pass


class A:
    pass


assert not gc.is_tracked(frozenset())
assert not gc.is_tracked(frozenset({1, 2}))
assert not gc.is_tracked(frozenset(range(3)))
assert not gc.is_tracked(frozenset({1.0, "s", None, b"x", True}))
assert gc.is_tracked(frozenset({A()}))
assert gc.is_tracked(frozenset({A}))
assert gc.is_tracked(frozenset([(1, [])[0], A()]))
assert gc.is_tracked(set())
assert gc.is_tracked(F({1}))               # subclasses stay tracked
assert gc.is_tracked(frozenset({1}) | frozenset({2}))   # results of set operations too
fs = frozenset({1})
assert fs.copy() is fs and not gc.is_tracked(fs.copy())
# An untracked frozenset still works as a set and a dict key.
d = {frozenset({1, 2}): "v"}
assert d[frozenset([2, 1])] == "v"
print("gc_frozenset_tracking_315: ok")
