# Lib/importlib sets itself up over _imp and _warnings: built-in module queries, the import
# lock, BuiltinImporter specs; _warnings.warn goes through the warnings filters; the operator
# functions are built-ins (they do not bind as methods on a class); frames link to callers.
import _imp
import _warnings
import importlib
import importlib.machinery
import importlib.util
import json
import operator
import sys
import warnings

print(_imp.is_builtin("sys"), _imp.is_builtin("posix"), _imp.is_builtin("no_such_module"))
print(_imp.is_frozen("no_such_module"), _imp.lock_held())
_imp.acquire_lock()
_imp.acquire_lock()
print(_imp.lock_held())
_imp.release_lock()
_imp.release_lock()
print(_imp.lock_held())
try:
    _imp.release_lock()
except RuntimeError as e:
    print("RuntimeError:", e)
print(".so" in _imp.extension_suffixes(), importlib.machinery.EXTENSION_SUFFIXES == _imp.extension_suffixes())
spec = importlib.machinery.BuiltinImporter.find_spec("posix")
print(spec.name, spec.origin, spec.loader is importlib.machinery.BuiltinImporter)
print(importlib.machinery.BuiltinImporter.find_spec("json"))
print(importlib.util.module_from_spec(spec).__name__)
print(importlib.import_module("json") is json, importlib.util.resolve_name(".decoder", "json"))

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    _warnings.warn("careful", UserWarning)
    _warnings.warn("default category")


    def deeper():
        _warnings.warn("from the caller", DeprecationWarning, stacklevel=2)


    deeper()
line = sys._getframe().f_lineno
print([(str(w.message), w.category.__name__, w.filename == __file__, line - w.lineno) for w in caught])


class Holder:
    combine = operator.add
    pick = operator.getitem


h = Holder()
print(h.combine(2, 3), h.pick("abc", 1), type(operator.add).__name__)
print(operator.sub(7, 2), operator.truediv(7, 2), operator.pow(2, 10), operator.lt(1, 2), operator.is_(None, None))
acc = [1]
print(operator.iadd(acc, [2]) is acc, acc, operator.not_(0), operator.index(5), operator.neg(3))
try:
    operator.add(1)
except TypeError as e:
    print("TypeError:", e)


def caller():
    return callee()


def callee():
    f = sys._getframe()
    return f.f_back.f_code.co_name, f.f_lasti >= 0 and f.f_lasti % 2 == 0, f.f_back.f_back.f_code.co_name


print(caller())
print("importlib_setup: ok")
