# requires: 3.15
# _functools.partial with Placeholder (3.14): filling holes, flattening, binding as a method,
# repr, pickling state, and the errors.
from _functools import partial, Placeholder as P
import _functools


def f(*a, **k):
    return a, k


p = partial(f, 1, P, 3, x=1)
print(p(2), p(2, 4, y=2), p.args, p.keywords, p.func is f)
for bad in (lambda: p(), lambda: partial(f, P), lambda: partial(f, x=P), lambda: partial(1)):
    try:
        bad()
    except TypeError as e:
        print(e)
q = partial(p, 5, 6)
print(q.args, q.func is f, q(), repr(P), type(P).__name__, type(P)() is P)
try:
    type(P)(1)
except TypeError as e:
    print(e)


class C:
    m = partial(f, 1)


c = C()
print(C().m(2)[0][0], C().m(2)[0][1] is not None, C.m(2)[0])


class Sub(partial):
    pass


print(repr(Sub(len)), type(partial(Sub(f, 1), 2).func).__name__, isinstance(Sub(len), partial))
print(partial(f).__reduce__()[0] is partial, partial(f, 1, a=2).__reduce__()[2][1:])
r = partial(f)
r.attr = 1
print(partial(r, 2).func is r, r.__dict__)
print(repr(partial(len, "a", k=[1])), repr(partial(len)))
s = partial(f)
s.__setstate__((max, (1, 2), {"z": 0}, None))
print(s.func is max, s.args, s.keywords, partial(max, 1, 2)(3), partial(sorted, reverse=True)([3, 1, 2]))
print(sorted(n for n in dir(_functools) if not n.startswith("__")))
print("functools_partial: ok")
