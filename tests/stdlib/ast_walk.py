# ast.parse through _ast (compile with PyCF_ONLY_AST): walking the tree, NodeVisitor and
# NodeTransformer, literal_eval, unparse, and compiling a tree back to code. The output is the
# same on CPython 3.11 and 3.15 (only node types, names and line numbers are printed).
import sys
# collections.abc is missing from Pyrite's Lib/ for now (the lead is adding it); ast.unparse
# and friends import it indirectly.
import _collections_abc
sys.modules.setdefault("collections.abc", _collections_abc)
# The `sentinel` builtin (3.15, used by functools) is also coming on main.
import builtins
if sys.version_info >= (3, 15) and not hasattr(builtins, "sentinel"):
    builtins.sentinel = lambda name: type(name, (), {"__repr__": lambda self: name})()
# Pyrite runs `lazy from inspect import ...` (contextlib, which ast.unparse needs) eagerly, and
# inspect needs dis, which needs _opcode: stand in for the names contextlib takes from inspect.
try:
    import contextlib
except ImportError:
    import types
    for name in ("inspect", "dis", "opcode", "contextlib"):
        sys.modules.pop(name, None)
    stand_in = types.ModuleType("inspect")
    for name in ("getattr_static", "iscoroutinefunction", "isgeneratorfunction",
                 "isasyncgenfunction", "markcoroutinefunction", "signature", "unwrap"):
        setattr(stand_in, name, None)
    sys.modules["inspect"] = stand_in
import ast

SOURCE = '''\
import os
from sys import path as p

class Point:
    """A point."""
    def __init__(self, x, y=0, *rest, scale=1, **kw):
        self.x = x * scale
        self.y = y

    def norm(self):
        return (self.x ** 2 + self.y ** 2) ** 0.5

def gen(n):
    for i in range(n):
        if i % 2:
            yield i
        elif i > 5:
            break
        else:
            continue
    while n:
        n -= 1
    try:
        pass
    except (ValueError, TypeError) as e:
        raise RuntimeError("bad") from e
    finally:
        del n
    with open("f") as f, open("g"):
        pass
    squares = [i * i for i in range(3) if i]
    table = {k: v for k, v in zip("ab", (1, 2))}
    return lambda a, *b: not a and b or None
'''

tree = ast.parse(SOURCE, "<walk>", "exec")
print(type(tree).__name__, len(tree.body))
for node in ast.walk(tree):
    if isinstance(node, (ast.stmt, ast.expr)):
        print(type(node).__name__, node.lineno, node.col_offset, node.end_lineno)

class Names(ast.NodeVisitor):
    def __init__(self):
        self.names = []
        self.functions = []

    def visit_Name(self, node):
        self.names.append(node.id)

    def visit_FunctionDef(self, node):
        self.functions.append((node.name, [a.arg for a in node.args.args], len(node.args.defaults)))
        self.generic_visit(node)

v = Names()
v.visit(tree)
print(sorted(set(v.names)))
print(v.functions)

# Fields, attributes, constructor defaults and pattern matching on nodes.
print(ast.BinOp._fields, ast.Name._fields, ast.expr._attributes)
n = ast.Name("x", ast.Load())
print(n.id, type(n.ctx).__name__, ast.Constant(5).kind)
match ast.parse("a + 1", mode="eval").body:
    case ast.BinOp(ast.Name(id=name), ast.Add(), ast.Constant(value=c)):
        print("matched", name, c)

# eval and single modes
e = ast.parse("x if y else [1, 2]", mode="eval")
print(type(e).__name__, type(e.body).__name__, [type(x).__name__ for x in e.body.orelse.elts])
s = compile("x = 1", "<s>", "single", ast.PyCF_ONLY_AST)
print(type(s).__name__, type(s.body[0]).__name__)
try:
    compile("x = 1\ny = 2", "<s>", "single", ast.PyCF_ONLY_AST)
except SyntaxError as exc:
    print("SyntaxError", exc.msg)

# literal_eval
print(ast.literal_eval("[1, -2.5, (3, 'four'), {'five': {6}}, None, True, b'x', 1+2j]"))
try:
    ast.literal_eval("f(1)")
except ValueError as exc:
    print("ValueError", str(exc).split(":")[0])

# unparse, and compiling a tree (through its source)
print(ast.unparse(ast.parse("def f(a, /, b=2, *, c):\n    return a @ b if c else -a")))
code = compile(ast.parse("result = sum(i * i for i in range(5))"), "<tree>", "exec")
ns = {}
exec(code, ns)
print(ns["result"])
print(eval(compile(ast.parse("3 * 7", mode="eval"), "<tree>", "eval")))

class Double(ast.NodeTransformer):
    def visit_Constant(self, node):
        if isinstance(node.value, int):
            return ast.copy_location(ast.Constant(node.value * 2), node)
        return node

t = Double().visit(ast.parse("y = 1 + 20", mode="exec"))
t = ast.fix_missing_locations(t)
ns = {}
exec(compile(t, "<t>", "exec"), ns)
print(ns["y"])
try:
    compile(ast.parse("1", mode="eval"), "<t>", "exec")
except TypeError as exc:
    print("TypeError", exc)

# syntax errors come from the parser as usual
try:
    ast.parse("x = (1,")
except SyntaxError as exc:
    print("SyntaxError", exc.lineno)

# column offsets are UTF-8 byte offsets
u = ast.parse("'é' + x").body[0].value
print(u.right.col_offset, u.right.end_col_offset)

print("ast_walk: ok")
