# requires: 3.15
# `from __future__ import annotations`: annotations are strings (PEP 563 as kept by 3.14+).
from __future__ import annotations
import sys

def f(a: List[ int ], b: 'quoted', *args: Tuple[int, ...], c: x | None = 1, **kw: Dict[str, "q"]) -> Undefined.attr:
    pass

assert f.__annotations__ == {
    'a': 'List[int]', 'b': "'quoted'", 'args': 'Tuple[int, ...]', 'c': 'x | None',
    'kw': "Dict[str, 'q']", 'return': 'Undefined.attr',
}, f.__annotations__
assert f.__annotate__(1) == f.__annotations__

def g(x: (a + b) * c, y: -z ** 2, z: f(1, k=2), w: a if b else c) -> (int, str):
    pass

assert g.__annotations__ == {'x': '(a + b) * c', 'y': '-z ** 2', 'z': 'f(1, k=2)', 'w': 'a if b else c', 'return': '(int, str)'}, g.__annotations__

class C:
    x: Foo[Bar]
    y: int = 3
    def m(self, p: Later) -> C: pass

assert C.__annotations__ == {'x': 'Foo[Bar]', 'y': 'int'}, C.__annotations__
assert C.__dict__['__annotations__'] is C.__annotations__
assert C.m.__annotations__ == {'p': 'Later', 'return': 'C'}

m1: Undefined
m2: int = 2
mod = sys.modules[__name__]
assert mod.__annotations__ == {'m1': 'Undefined', 'm2': 'int'}, mod.__annotations__
assert __annotations__ is mod.__annotations__

print("annotations_future: ok")
