# Module attribute errors name the module; module __getattr__ (PEP 562); types.ModuleType(name, doc).
import sys
try: sys.nope
except AttributeError as e: print(e)
import types
m = types.ModuleType("dyn")
m.__getattr__ = lambda n: "lazy " + n
print(m.anything, getattr(m, "x", 1))
del m.__dict__["__name__"]
try: m.__getattr__; del m.__getattr__; m.y
except AttributeError as e: print(e)
m2 = types.ModuleType("m2", "the doc")
assert m2.__doc__ == "the doc" and m2.__name__ == "m2" and m2.__spec__ is None
try:
    types.ModuleType()
except TypeError as e:
    print("TypeError")
print("module_getattr: ok")
