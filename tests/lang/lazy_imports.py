# requires: 3.15
# PEP 810 lazy imports: `lazy import` binds a lazy_import object that the first use of the
# name resolves (LOAD_NAME/LOAD_GLOBAL, module attribute access), `globals()`/`__dict__`
# show it unresolved, sys.lazy_modules lists pending imports, the mode/filter switches,
# `__lazy_modules__`, `__lazy_import__`, and errors raised when a deferred import fails.
import os
import sys
import tempfile
import types

root = tempfile.mkdtemp()
sys.path.insert(0, root)


def write(path, text):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        f.write(text)


write("lz_side.py", "print('  [lz_side runs]')\nVALUE = 1\n")
write("lz_other.py", "print('  [lz_other runs]')\nVALUE = 2\n")
write("lz_mode.py", "print('  [lz_mode runs]')\n")
write("lz_compat.py", "print('  [lz_compat runs]')\n")
write("lz_filtered.py", "print('  [lz_filtered runs]')\n")
write("lz_bad.py", "print('  [lz_bad runs]')\n1/0\n")
write("lz_pkg/__init__.py", "print('  [lz_pkg runs]')\nTOP = 'top'\n")
write("lz_pkg/sub.py", "print('  [lz_pkg.sub runs]')\nLEAF = 'leaf'\n")
write("lz_pkg/rel.py", "lazy from . import sub\nlazy from .sub import LEAF\n")
write("lz_chained.py", "cause = KeyError('inner')\nraise ValueError('outer') from cause\n")
write("lz_user.py", "lazy import lz_other\ndef get():\n    return lz_other.VALUE\n")

g = globals()


def pending(prefix="lz_"):
    return sorted(n for n in sys.lazy_modules if n.startswith(prefix))


print("basic:")
lazy import lz_side
print(" ", type(g["lz_side"]) is types.LazyImportType, repr(g["lz_side"]))
print(" ", "lz_side" in sys.modules, pending())
print(" ", "dir sees it:", "lz_side" in dir())
print(" ", lz_side.VALUE)
print(" ", type(g["lz_side"]).__name__, "lz_side" in sys.modules, pending())

print("types.LazyImportType:")
print(" ", types.LazyImportType.__name__, sorted(k for k in vars(types.LazyImportType) if not k.startswith("__")))
try:
    types.LazyImportType()
except TypeError as e:
    print("  TypeError", e)

print("dotted and as:")
lazy import lz_pkg.sub
lazy import lz_pkg.sub as leafmod
print(" ", repr(g["lz_pkg"]), repr(g["leafmod"]), pending())
print(" ", leafmod.LEAF, type(g["lz_pkg"]).__name__)
print(" ", lz_pkg.sub.LEAF, lz_pkg.TOP, type(g["lz_pkg"]).__name__)

print("from:")
del sys.modules["lz_pkg"], sys.modules["lz_pkg.sub"]
lazy from lz_pkg import TOP, sub as sub2
print(" ", repr(g["TOP"]), repr(g["sub2"]), pending())
try:
    g["TOP"].upper
except AttributeError as e:
    print("  AttributeError", e)
print(" ", TOP, type(g["sub2"]).__name__, pending())
print(" ", sub2.LEAF)
lazy from os import sep
print("  already imported module:", type(g["sep"]).__name__)

print("relative, in another module:")
import lz_pkg.rel as rel
print(" ", sorted(k for k, v in vars(rel).items() if isinstance(v, types.LazyImportType)))
print(" ", rel.LEAF, rel.sub.__name__)
print(" ", [type(vars(rel)[k]).__name__ for k in ("sub", "LEAF")])

print("module attribute access resolves:")
import lz_user
print(" ", type(vars(lz_user)["lz_other"]).__name__, "lz_other" in sys.modules)
print(" ", lz_user.get(), type(vars(lz_user)["lz_other"]).__name__)

print("resolve():")
lazy import json as json_lazy
# A global holding the object would resolve it when read: call through the dict.
print(" ", g["json_lazy"].resolve().__name__, type(g["json_lazy"]).__name__)

print("failed resolution:")
lazy import lz_bad
for attempt in range(2):
    try:
        lz_bad
    except ZeroDivisionError as e:
        print("  ZeroDivisionError", e, "| cause:", type(e.__cause__).__name__, e.__cause__)
print(" ", type(g["lz_bad"]).__name__, "lz_bad" in pending())
lazy import lz_missing_module
try:
    lz_missing_module
except ModuleNotFoundError as e:
    print("  ModuleNotFoundError", e, "| cause:", e.__cause__)
lazy import lz_chained
try:
    lz_chained
except ValueError as e:
    # An exception with its own cause keeps it; a note names the lazy import instead.
    notes = [n.replace(__file__, os.path.basename(__file__)) for n in e.__notes__]
    print("  ValueError", e, "| cause:", repr(e.__cause__), "| notes:", notes)
lazy from lz_pkg import no_such_name
try:
    no_such_name
except ImportError as e:
    print("  ImportError", str(e).split(" (")[0], "| cause:", e.__cause__)

print("mode:")
print(" ", sys.get_lazy_imports(), sys.get_lazy_imports_filter())
for bad in (True, None, "none", "on"):
    try:
        sys.set_lazy_imports(bad)
    except (TypeError, ValueError) as e:
        print(" ", type(e).__name__, e)
sys.set_lazy_imports("all")
import lz_mode
print(" ", sys.get_lazy_imports(), type(g["lz_mode"]).__name__)


def in_function():
    import lz_mode
    return type(lz_mode).__name__


print("  in a function:", in_function(), "| in try:", end=" ")
try:
    import lz_filtered as f_try
except ImportError:
    pass
print(type(g["f_try"]).__name__)
sys.set_lazy_imports("normal")
del sys.modules["lz_filtered"]

print("__lazy_modules__:")
__lazy_modules__ = ["lz_compat"]
import lz_compat
print(" ", type(g["lz_compat"]).__name__)
lz_compat
print(" ", type(g["lz_compat"]).__name__)
del __lazy_modules__

print("filter:")
calls = []


def refuse(importer, name, fromlist):
    calls.append((importer, name, fromlist))
    return name != "lz_filtered"


try:
    sys.set_lazy_imports_filter(42)
except ValueError as e:
    print("  ValueError", e)
sys.set_lazy_imports_filter(refuse)
print(" ", sys.get_lazy_imports_filter() is refuse)
lazy import lz_filtered
lazy from lz_pkg import TOP as top2
print(" ", calls)
print(" ", type(g["lz_filtered"]).__name__, type(g["top2"]).__name__)
sys.set_lazy_imports_filter(None)

print("__lazy_import__:")
x = __lazy_import__("lz_pkg.sub")
print(" ", repr(g["x"]))
print(" ", x.__name__)
for args, kwargs in [((123,), {}), (("sys",), {"level": -1}), (("sys",), {"globals": 1})]:
    try:
        __lazy_import__(*args, **kwargs)
    except (TypeError, ValueError) as e:
        print(" ", type(e).__name__)

print("exec:")
ns = {}
exec("lazy import lz_side as again\n", ns)
print(" ", type(ns["again"]).__name__)
exec("y = again.VALUE\n", ns)
print(" ", ns["y"], type(ns["again"]).__name__)


def exec_in_function():
    exec("lazy import json")


try:
    exec_in_function()
except SyntaxError as e:
    print("  SyntaxError", e)
print("lazy_imports: ok")
