# requires: 3.15
# CPython 3.15 allows named __slots__ in tuple subclasses (they follow the items); int and bytes
# subclasses still refuse them.
from collections import namedtuple
class T(tuple):
    __slots__ = ('x', 'y')
t = T((1, 2, 3)); t.x = 'a'
print(t, t.x, len(t), t[2])
try: t.y
except AttributeError as e: print(e)
class U(T):
    __slots__ = ('z',)
u = U((4,)); u.z = 9; u.x = 8
print(u, u.z, u.x)
del u.z
try: u.z
except AttributeError as e: print(e)
P = namedtuple('P', 'x y')
class Q(P):
    __slots__ = ('k',)
q = Q(1, 2); q.k = [1]
print(q, q.k, q.x, q._replace(x=5))
class D(tuple):
    __slots__ = ('s', '__dict__')
d = D(range(5)); d.s = 1; d.other = 2
print(d, d.s, d.other, d.__dict__)
for base in (int, bytes):
    try:
        type('C', (base,), {'__slots__': ('x',)})
    except TypeError as e:
        print(e)
class E(tuple):
    __slots__ = ('a',)
    def __new__(cls, *items):
        self = super().__new__(cls, items)
        self.a = len(items)
        return self
es = [E(*range(i)) for i in range(50)]
print(sum(e.a for e in es), es[10][9])
del es
import urllib.parse
print(urllib.parse.urldefrag("http://a/b#frag"))
print("tuple_subclass_slots: ok")
