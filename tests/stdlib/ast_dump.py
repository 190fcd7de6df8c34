# requires: 3.15
# ast.dump of ast.parse trees, with positions, equals CPython 3.15's: every statement and
# expression kind, decorators, elif chains, f-/t-strings, patterns, type parameters; the 3.15
# node constructor defaults and messages; parsing a few of the standard library's own files.
import sys
# Workarounds for VM gaps the lead is fixing on main (collections.abc, enum iteration, which
# _colorize needs through dataclasses): ast.dump only needs a colourless theme.
import _collections_abc
sys.modules.setdefault("collections.abc", _collections_abc)
try:
    import _colorize
except Exception:
    import types
    class _NoColor:
        def __getattr__(self, name):
            return ""
    class _Theme:
        ast = _NoColor()
    _colorize = types.ModuleType("_colorize")
    _colorize.get_theme = lambda **kw: _Theme()
    sys.modules["_colorize"] = _colorize
import ast
import os

SOURCE = '''
import os, sys as s
from . import x
@dec
# c
class A(B, metaclass=M):
    """doc"""
    def f(self, a, /, b=1, *c, d, e=2, **f) -> int:
        return a + b * -c
    async def g(self):
        async with x as y, z:
            await y
        async for i in y: pass
if a: pass
elif b: x = 1
elif c: y += 2
else: z: int = 3
while x < y <= z: break
for i, j in enumerate([1, 2.5, 3j, 'a' 'b', u'c', b'x', None, True, ..., 10**30]): continue
try:
    raise E from F
except (A, B) as e:
    del x[1:2], y.z
except C: pass
else: pass
finally: pass
try: pass
except* D: pass
with open(f) as g: pass
lambda x, *y, **z: (x, {1: 2, **d}, {1, 2}, [i for i in x if i], {k: v for k, v in d}, (g for g in h))
assert x, "m"
global q
x = a if b else c
print(*a, **k, sep='')
any(c != '-' for c in chunk[:h])
match p:
    case [1, *rest]: pass
    case {"k": v, **kw}: pass
    case Point(x=0, y=_) | None as q if q: pass
    case str() | 1 | -2 | 1+2j: pass
type T[X: int, *Ys, **P] = list[X]
def h[T](x: T) -> T: yield x; yield from x
(x := 5)
a[1, 2] @= not b
f"a{x!r:>{w}}b" "c"
f"{x=}" f'{y}' f""
t"hi {name!r:>8} {x=}"
'é' + x
'''

tree = ast.parse(SOURCE)
print(ast.dump(tree, indent=1, include_attributes=True))
print(ast.dump(ast.parse("x + 1", mode="eval")))
print(ast.dump(ast.parse("x = 1", mode="single")))
print(repr(ast.parse("x + 1")))

# Constructors: defaults and messages.
for make in (lambda: ast.Name(), lambda: ast.Name("x", ast.Load(), 3),
             lambda: ast.Name("x", foo=1), lambda: ast.Name("x", id="y"),
             lambda: ast.BinOp(), lambda: ast.Constant(), lambda: ast.FunctionDef("f")):
    try:
        n = make()
        print(ast.dump(n), n.__dict__)
    except TypeError as e:
        print("TypeError:", e)
print(ast.dump(ast.Name("x")), ast.dump(ast.arguments()), ast.dump(ast.ImportFrom("m")))
print(ast.Name._field_types, ast.Constant.__match_args__, ast.stmt._attributes)
print(ast.Module.__doc__, ast.expr_context.__doc__, sep="\n")
print(ast.Name.__module__, ast.AST.__module__, ast.PyCF_ONLY_AST, ast.PyCF_OPTIMIZED_AST)
import copy
c = copy.deepcopy(tree.body[2])
print(ast.dump(c) == ast.dump(tree.body[2]))
print(ast.dump(copy.replace(ast.Name("x"), id="y")))

# A few of the standard library's own files.
lib = os.path.dirname(ast.__file__)
for name in ("textwrap.py", "string/templatelib.py", "tokenize.py"):
    with open(os.path.join(lib, name), encoding="utf-8") as f:
        t = ast.parse(f.read())
    counts = {}
    for node in ast.walk(t):
        counts[type(node).__name__] = counts.get(type(node).__name__, 0) + 1
    print(name, len(ast.dump(t, include_attributes=True)), sorted(counts.items())[:12])

print("ast_dump: ok")
