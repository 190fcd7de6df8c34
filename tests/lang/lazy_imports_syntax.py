# requires: 3.15
# PEP 810 syntax: where `lazy import` is refused (functions, classes, try/except, star and
# __future__ imports) with CPython 3.15's messages and positions, where it is accepted
# (module level, `with`, `if`), and the IMPORT_NAME flags the compiler sets (1 lazy,
# 2 eager: in a function, class or try; 0 otherwise).
import dis

cases = [
    "def f():\n    lazy import json\n",
    "def f():\n    lazy from json import dumps\n",
    "class C:\n    lazy import json\n",
    "try:\n    lazy import json\nexcept ImportError:\n    pass\n",
    "try:\n    pass\nexcept ImportError:\n    lazy import json\n",
    "try:\n    pass\nfinally:\n    lazy from json import dumps\n",
    "lazy from json import *\n",
    "lazy from __future__ import annotations\n",
    "async def f():\n    lazy import json\n",
    "lazy import json\n",
    "lazy from . import x\n",
    "with open('x') as f:\n    lazy import json\n",
    "if True:\n    lazy import json.decoder as d\n",
    "lazy = 1\nlazy.x = lazy\n",
]
for src in cases:
    try:
        compile(src, "<case>", "exec")
    except SyntaxError as e:
        print("SyntaxError:", e.msg, (e.lineno, e.offset, e.end_lineno, e.end_offset))
    else:
        print("compiles:", src.splitlines()[-1].strip())


def flags(code):
    out = []
    for ins in dis.get_instructions(code):
        if ins.opname == "IMPORT_NAME":
            out.append((code.co_name, ins.argval, ins.arg & 3))
    for c in code.co_consts:
        if hasattr(c, "co_code"):
            out += flags(c)
    return out


src = """\
import a
lazy import b
from c import d
lazy from e import f
try:
    import g
except ImportError:
    import h
else:
    import i
finally:
    import j
with x:
    import k
if y:
    import l
for z in w:
    import m
def fn():
    import n
class C:
    import o
"""
# Sorted: CPython lays handler code out after the rest of the module.
for entry in sorted(flags(compile(src, "<flags>", "exec"))):
    print(entry)
print("lazy_imports_syntax: ok")
