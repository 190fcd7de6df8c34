#!/usr/bin/env python3
"""Writes vm/tests/data/symtable_cases.json: CPython's symbol tables for the snippets below,
as its `symtable` module reports them, for vm/tests/symtable.rs to compare with Pyrite's.

CPython 3.12+ inlines list, set and dict comprehensions into the enclosing scope (PEP 709);
Pyrite does not (each comprehension is a scope of its own, as in 3.11). So the snippets with
such comprehensions (REFERENCE_311 below; they use no 3.12+ syntax and no annotations) take
their expected tables from CPython 3.11, and all the others from CPython 3.15. Generator
expressions were never inlined, so the 3.15 snippets cover comprehension scopes through them.

    python3 tools/gen-symtable-cases.py --part 3.11 > target/symtable-311.json   # CPython 3.11
    /work/shared/tools/cpython-ref python3.15 tools/gen-symtable-cases.py \\
        --with target/symtable-311.json > vm/tests/data/symtable_cases.json

For each block: name, type, lineno, varnames (the parameters, `ste_varnames`), children,
and per symbol: its flags (by name), its scope, and the `symtable.Symbol` predicates. And the
tree of code objects the snippet compiles to, with their varnames, cellvars and freevars.
"""
import json
import sys
import symtable
import _symtable

# Snippets whose expected tables come from CPython 3.15.
REFERENCE_315 = {
    "closure": """
def outer(a):
    b = 1
    def inner(c):
        return a + b + c + d
    return inner
""",
    "nested_nonlocal": """
def f():
    x = 0
    def g():
        nonlocal x
        def h():
            nonlocal x
            x += 1
        return h
    return g
""",
    "nonlocal_skips_class": """
def f():
    x = 1
    class C:
        x = 2
        def m(self):
            return x
    return C
""",
    "class_names_invisible_to_methods": """
class C:
    attr = 1
    other = attr + 1
    def method(self):
        return attr
    def uses_self(self):
        return self.attr
""",
    "super_and_dunder_class": """
class A:
    def f(self):
        return super().f()
    def g(self):
        return __class__
    def h(self):
        def inner():
            return super()
        return inner
""",
    "class_in_function_free_class": """
def f():
    x = 1
    class C:
        x = x
        def m(self):
            return x
    return C
""",
    "globals": """
x = 1
def f():
    global x, y
    x = 2
    y = 3
def g():
    return x
def h():
    def i():
        global z
        z = 1
    z = 2
    return i
""",
    "global_in_class": """
class C:
    global g
    g = 1
    def m(self):
        return g
""",
    "parameters": """
def f(a, b=1, /, c=2, *args, d, e=3, **kwargs):
    return a, b, c, args, d, e, kwargs
async def g(*, k):
    await k
""",
    "lambdas": """
f = lambda x, *a, y=z, **k: (x, a, y, k, w)
def g(n):
    return lambda m: lambda: n + m
""",
    "generator_expressions": """
def f(items, k):
    g = (x * k for x in items if x > limit)
    h = (x + y for x in items for y in x)
    return g, h
outer = (a for a in range(3))
""",
    "generator_iterable_in_enclosing_scope": """
def f(data):
    return (x for x in data for y in other)
""",
    "generator_captured_iteration_variable": """
def f(xs):
    return (lambda: x for x in xs)
""",
    "walrus_in_generator": """
def f(xs):
    any((y := x) for x in xs)
    return y
total = sum((last := v) for v in range(5))
""",
    "walrus_in_generator_global": """
def f(xs):
    global found
    any((found := x) for x in xs)
""",
    "async_generator_expression": """
async def f(xs):
    return (x async for x in xs), (await y for y in xs)
""",
    "generators_and_coroutines": """
def gen():
    yield 1
    x = yield
    yield from range(3)
async def coro():
    await x
async def agen():
    yield 1
""",
    "try_except_names": """
def f():
    try:
        pass
    except ValueError as e:
        print(e)
    finally:
        done = True
    try:
        pass
    except* TypeError as group:
        pass
""",
    "match_captures": """
def f(point):
    match point:
        case (0, y):
            return y
        case {"k": v, **rest}:
            return v, rest
        case Point(x=px, y=_) as p:
            return px, p
        case [first, *others] | [first, others]:
            return first
        case _:
            return None
""",
    "imports": """
import os
import os.path
import a.b.c as abc
from . import sibling
from ..pkg import name as alias, other
from m import *
def f():
    import json
    from x import y as z
    return json, z
""",
    "lazy_imports": """
lazy import json
lazy from os import path as p
""",
    "deletes_and_augmented": """
def f():
    x = 1
    x += 1
    del x
    y.attr = 2
    z[0] = 3
    del w[1]
""",
    "decorators_and_defaults": """
def deco(fn):
    return fn
def outer(v):
    @deco
    def inner(a=v, *, b=lambda: v):
        return a
    return inner
""",
    "nested_classes": """
class Outer:
    class Inner:
        def m(self):
            return Outer, Inner
    def n(self):
        return self.Inner
""",
    "private_name_mangling": """
class C:
    __private = 1
    def __method(self, __arg):
        __local = self.__private
        return __local, __arg
    def __dunder__(self):
        return __private
""",
    "annotations_module": """
x: int = 1
y: list[str]
def f(a: int, b: "str" = None, *args: tuple, k: float = 0, **kw: dict) -> bool:
    z: SomeType = 2
    return a
""",
    "annotations_class": """
class C:
    a: int
    b: str = "x"
    if flag:
        c: float
    def m(self, x: Hint) -> Ret:
        pass
""",
    "annotations_conditional_module": """
if cond:
    x: int = 1
for i in r:
    y: str
""",
    "future_annotations": """
from __future__ import annotations
x: int
def f(a: Hint) -> Ret:
    return a
class C:
    y: Other
""",
    "generic_function": """
def first[T, *Ts, **P](xs: list[T], *args: *Ts) -> T:
    return xs[0]
""",
    "generic_function_defaults": """
def f[T](a=1, *, b=2) -> T:
    pass
""",
    "generic_class": """
class Box[T: Bound, U = int](Base[T], metaclass=Meta):
    item: T
    def get(self) -> T:
        return self.item
""",
    "generic_method_in_class": """
class C:
    x = 1
    def m[T: x](self, a: T) -> T:
        return a
    type Alias[U] = dict[U, x]
""",
    "type_aliases": """
type Simple = int
type Pair[K, V] = tuple[K, V]
type Bounded[T: (int, str)] = list[T]
type Defaulted[T = int, *Ts = Unpack[tuple[int]], **P = [int]] = Callable[P, T]
def f():
    type Local = Undefined
    return Local
""",
    "type_param_bounds_see_class": """
class Outer:
    Limit = int
    class Inner[T: Limit]:
        pass
    def method[S: Limit = Limit](self): pass
""",
    "generic_class_private_type_param": """
class C[__T]:
    def m(self, a: __T) -> __T:
        __x = a
        return __x
""",
    "nonlocal_in_generic": """
def f():
    x = 1
    def g[T]():
        nonlocal x
        x = T
    return g
""",
    "star_targets_and_unpacking": """
def f(seq):
    a, *rest = seq
    (b, c), [d, e] = seq
    for i, (j, k) in seq:
        pass
    with open(p) as fh, ctx() as (m, n):
        pass
    return a, rest, b, c, d, e, i, j, k, fh, m, n
""",
    "fstrings": """
def f(value, width):
    return f"{value!r:>{width}} {other:{fmt}}", t"{tmpl}"
""",
    "super_in_nested_function_and_lambda": """
class C:
    def m(self):
        return lambda: super().m()
""",
    "module_level_super": """
x = super
def f():
    return super
""",
    "free_through_several_levels": """
def a():
    v = 1
    def b():
        def c():
            def d():
                return v
            return d
        return c
    return b
""",
    "class_variable_and_closure_same_name": """
def f():
    x = 1
    class C:
        x = 2
        y = x
        def m(self):
            return x
    return C
""",
    "del_global_and_nonlocal": """
def f():
    global g
    del g
    v = 1
    def inner():
        nonlocal v
        del v
    return inner
""",
    "expression_only_module": """
a + b * c
(lambda q: q)(d)
""",
    "docstrings": '''
"""module docstring"""
def f():
    "function docstring"
class C:
    """class docstring"""
''',
    "comprehension_in_class_annotation": """
class C:
    items: [y for y in source]
    other: {k: v for k, v in pairs}
""",
    "annotations_see_class_names": """
class C:
    Hint = int
    def f(self, a: Hint, b: Outer) -> Hint:
        def g(c: Hint): pass
        return g
    x: Hint
""",
    "assigned_dunder_class": """
class C:
    __class__ = 1
    def f(self):
        return __class__
""",
    "type_param_default_sees_enclosing_function": """
def f():
    x = int
    def g[T = x, *Ts = y, **P = z](): pass
    class K[U: x]: pass
    return g, K
""",
    "generic_class_with_super": """
class Child[T](Parent[T]):
    def method(self) -> T:
        return super().method()
""",
    "type_alias_in_class_with_closure": """
def outer():
    local = 1
    class C:
        attr = 2
        type A = tuple[attr, local]
    return C
""",
    "module_global_statement": """
global x
x = 1
def f():
    x = 2
    return x
""",
    "non_simple_annotations": """
class C:
    (x): int = 1
    a.b: str
    a[0]: float = 2.0
(y): int
""",
    "conditional_annotations_in_class": """
class C:
    with ctx:
        a: int
    try:
        b: str
    except E:
        pass
    match v:
        case 1:
            c: float
""",
    "future_annotations_class": """
from __future__ import annotations
class C:
    x: Hint
    def m(self, a: A) -> R:
        y: Local = 1
        return y
""",
    "nonlocal_in_class_method": """
def f():
    counter = 0
    class C:
        def bump(self):
            nonlocal counter
            counter += 1
    return C
""",
    "decorated_class_and_method": """
@decorator(arg)
class C:
    @staticmethod
    def s(): pass
    @property
    def p(self): return self._p
""",
    "default_and_decorator_in_class": """
class C:
    default = 1
    deco = staticmethod
    @deco
    def m(x=default, *, y=lambda: default): pass
""",
    "async_generator_expression_in_async_def": """
async def f(src):
    agen = (x async for x in src)
    gen = (await y for y in src)
    return agen, gen
""",
    "genexpr_in_default_and_decorator": """
def f(a=(x for x in range(3))):
    pass
@register(y for y in z)
def g(): pass
""",
    "walrus_in_nested_genexpr": """
def f(rows):
    list(list((cell := c) for c in row) for row in rows)
    return cell
""",
    "walrus_in_lambda_in_genexpr": """
def f(xs):
    return ((lambda: (y := x)) for x in xs)
""",
    "genexpr_class_scope": """
class C:
    base = 10
    gen = (base + i for i in range(3))
    nums = (i for i in (base,))
""",
    "chained_closures_and_shadowing": """
def f(x):
    def g(x):
        def h():
            return x
        return h
    def k():
        return x
    return g, k
""",
    "global_and_nested_class": """
def f():
    global G
    class C:
        G = 1
        def m(self):
            return G
    return C
""",
    "del_and_reassign_in_class": """
class C:
    x = 1
    del x
    def x(self): pass
""",
    "starred_call_and_keywords": """
def f(*args, **kwargs):
    return g(*args, h=1, **kwargs)
""",
    "many_type_params_in_class": """
class Outer:
    K = str
    class Map[Key: K, *Rest, **Params, Value = K]:
        def get(self, key: Key) -> Value: ...
""",
    "genexpr_sole_argument_multiline": """
total = sum(
    x for x in y
)
nested = f((a for a in b) for c in d)
inner_first = g(
    x for x in (y for y in z)
)
""",
    "multiline_lambda_and_class": """
handler = (
    lambda event:
        event.value
)
@decorator
class Decorated(
    Base,
):
    pass
""",
    "nested_generic_closure": """
def outer[T](x: T):
    def inner() -> T:
        return x
    return inner
""",
    "generic_method_in_generic_class": """
class Box[T]:
    def map[U](self, f: Callable[[T], U]) -> Box[U]:
        return Box(f(self.item))
""",
    "class_annotation_sees_function_local": """
def f():
    local = int
    class C:
        attr: local
        other: Outer = local
    return C
""",
    "lambda_in_class_body": """
class C:
    x = 1
    f = lambda self: x
    g = lambda self, y=x: y
""",
    "walrus_in_genexpr_in_method": """
class C:
    def m(self, xs):
        any((found := x) for x in xs)
        return found
""",
    "dunder_class_assigned_in_method": """
class C:
    def f(self):
        __class__ = 1
        return __class__
    def g(self):
        return super()
""",
    "deleted_cell": """
def f():
    x = 1
    def g():
        return x
    del x
    return g
""",
    "starred_comprehension_target": """
def f(pairs):
    return (b for a, *b in pairs)
""",
    "async_with_and_for": """
async def f(cm, it):
    async with cm as (a, b):
        async for x in it:
            await a(x)
""",
    "nested_functions_same_names": """
def f():
    def f():
        return f
    return f
""",
    "class_decorator_sees_enclosing": """
def outer(deco):
    @deco
    class C:
        pass
    return C
""",
    "return_annotation_closure": """
def outer():
    T = int
    def f(x: T = None) -> T:
        pass
    return f
""",
    "classmethod_super_nested_class": """
class A:
    @classmethod
    def make(cls):
        class B(A):
            def m(self):
                return super().m()
        return super().make(), B
""",
    "global_declared_in_nested_class_method": """
x = 0
def f():
    x = 1
    class C:
        def m(self):
            global x
            return x
    return C, x
""",
    "type_alias_referencing_itself": """
type Tree = list[Tree] | int
class K:
    type Node = dict[str, Node]
""",
}

# Snippets with list/set/dict comprehensions: expected tables from CPython 3.11.
REFERENCE_311 = {
    "list_comprehension": """
def f(items, k):
    return [x * k for x in items if x > limit]
""",
    "comprehension_iterable_in_enclosing_scope": """
def f(data):
    return [x for x in data for y in other]
""",
    "comprehension_kinds": """
def f(xs):
    s = {x for x in xs}
    d = {k: v for k, v in xs}
    l = [[y for y in x] for x in xs]
    return s, d, l
""",
    "comprehension_in_class": """
class C:
    values = [1, 2]
    doubled = [v * 2 for v in values]
    bad = [values for _ in range(2)]
""",
    "comprehension_closure": """
def f(xs):
    fs = [lambda: x for x in xs]
    n = 1
    gs = [x + n for x in xs]
    return fs, gs
""",
    "walrus_in_list_comprehension": """
def f(xs):
    if any([(y := x) > 0 for x in xs]):
        return y
partial = [(last := i) for i in range(3)]
""",
    "walrus_nested_comprehension": """
def f(rows):
    [[(cell := c) for c in row] for row in rows]
    return cell
""",
    "comprehension_in_module": """
squares = {n: n * n for n in range(10)}
names = [name.upper() for name in source if name]
""",
    "async_list_comprehension": """
async def f(xs):
    return [await x async for x in xs]
""",
    "comprehension_super": """
class C:
    def m(self):
        return [super().m() for _ in range(2)]
""",
    "nested_async_comprehension": """
async def f(w, y):
    return [[x async for x in y] for z in w]
""",
    "comprehension_in_default_and_decorator": """
def f(a=[x for x in range(3)]):
    pass
@register([y for y in z])
def g(): pass
""",
    "comprehension_referencing_class_in_method": """
class C:
    items = []
    def m(self):
        return [i for i in self.items if i is not C]
""",
}


def flag_names(flags):
    names = [
        "DEF_GLOBAL", "DEF_LOCAL", "DEF_PARAM", "DEF_NONLOCAL", "USE", "DEF_FREE_CLASS",
        "DEF_IMPORT", "DEF_ANNOT", "DEF_COMP_ITER", "DEF_TYPE_PARAM", "DEF_COMP_CELL",
    ]
    # CPython 3.11's _symtable does not export DEF_COMP_ITER; its value there is 2 << 8.
    values = {"DEF_COMP_ITER": 2 << 8}
    values.update((n, getattr(_symtable, n)) for n in names if hasattr(_symtable, n))
    return sorted(n for n in names if n in values and flags & values[n])


SCOPE_NAMES = {
    _symtable.LOCAL: "LOCAL",
    _symtable.GLOBAL_EXPLICIT: "GLOBAL_EXPLICIT",
    _symtable.GLOBAL_IMPLICIT: "GLOBAL_IMPLICIT",
    _symtable.FREE: "FREE",
    _symtable.CELL: "CELL",
}

# CPython 3.11 names comprehension and lambda blocks without the angle brackets.
NAMES_311 = {"listcomp": "<listcomp>", "setcomp": "<setcomp>", "dictcomp": "<dictcomp>",
             "genexpr": "<genexpr>", "lambda": "<lambda>"}


def dump(table):
    symbols = {}
    for sym in table.get_symbols():
        raw = table._table.symbols[sym.get_name()]
        scope = (raw >> _symtable.SCOPE_OFF) & _symtable.SCOPE_MASK
        symbols[sym.get_name()] = {
            "flags": flag_names(raw),
            "scope": SCOPE_NAMES[scope],
            "is_local": sym.is_local(),
            "is_global": sym.is_global(),
            "is_free": sym.is_free(),
            "is_parameter": sym.is_parameter(),
            "is_nonlocal": sym.is_nonlocal(),
            "is_declared_global": sym.is_declared_global(),
            "is_referenced": sym.is_referenced(),
            "is_assigned": sym.is_assigned(),
            "is_imported": sym.is_imported(),
        }
    name = table.get_name()
    return {
        "name": NAMES_311.get(name, name) if sys.version_info < (3, 12) else name,
        "type": str(table.get_type()),
        "lineno": table.get_lineno(),
        "varnames": list(table._table.varnames),
        "symbols": symbols,
        "children": [dump(child) for child in table.get_children()],
    }


def code_tree(code):
    """The code objects CPython compiles the snippet to: where the compiler puts the cell and
    free variables (`co_cellvars`, `co_freevars`, sorted as it sorts them) and the locals."""
    return {
        "name": code.co_name,
        "varnames": list(code.co_varnames),
        "cellvars": list(code.co_cellvars),
        "freevars": list(code.co_freevars),
        "children": [code_tree(c) for c in code.co_consts if hasattr(c, "co_code")],
    }


def run(cases):
    version = "CPython " + sys.version.split()[0]
    out = []
    for name, source in cases.items():
        source = source.lstrip("\n")
        out.append({
            "name": name,
            "reference": version,
            "source": source,
            "table": dump(symtable.symtable(source, "<case>", "exec")),
            "code": code_tree(compile(source, "<case>", "exec")),
        })
    return out


def main():
    args = sys.argv[1:]
    if args[:2] == ["--part", "3.11"]:
        assert sys.version_info[:2] == (3, 11), "run the 3.11 part under CPython 3.11"
        json.dump(run(REFERENCE_311), sys.stdout, indent=1)
        return
    assert sys.version_info[:2] == (3, 15), "run under CPython 3.15"
    cases = run(REFERENCE_315)
    if args[:1] == ["--with"]:
        with open(args[1]) as f:
            cases += json.load(f)
    json.dump({"generated_by": "tools/gen-symtable-cases.py", "cases": cases}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
