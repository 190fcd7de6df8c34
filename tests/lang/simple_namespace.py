# requires: 3.15
# types.SimpleNamespace (and sys.implementation, which is one), and Lib/types.py over _types.
import sys
import types

assert type(sys.implementation) is types.SimpleNamespace
assert isinstance(sys.implementation.name, str)
ns = types.SimpleNamespace(a=1, b="x")
assert repr(ns) == "namespace(a=1, b='x')", repr(ns)
assert ns.a == 1 and ns == types.SimpleNamespace(a=1, b="x") and ns != types.SimpleNamespace(a=2)
ns.c = [ns]
assert repr(ns) == "namespace(a=1, b='x', c=[namespace(...)])", repr(ns)
assert repr(types.SimpleNamespace({"x": 1}, y=2)) == "namespace(x=1, y=2)"
assert repr(types.SimpleNamespace([("k", 3)])) == "namespace(k=3)"
for bad, msg in [(lambda: types.SimpleNamespace({1: 2}), "keywords must be strings"),
                 (lambda: types.SimpleNamespace(1, 2), "SimpleNamespace expected at most 1 argument, got 2")]:
    try:
        bad()
    except TypeError as e:
        assert str(e) == msg, e
    else:
        raise AssertionError(msg)


class Sub(types.SimpleNamespace):
    pass


assert repr(Sub(q=1)) == "Sub(q=1)" and Sub(q=1) == types.SimpleNamespace(q=1)
assert ns.__dict__ is ns.__dict__
assert ns.__reduce__()[0] is types.SimpleNamespace and ns.__replace__(a=5).a == 5
assert types.SimpleNamespace.__doc__ == "A simple attribute-based namespace.", types.SimpleNamespace.__doc__
del ns.a
assert list(ns.__dict__) == ["b", "c"]
assert types.FunctionType is type(lambda: 0) and types.ModuleType is type(sys)
assert types.NoneType is type(None) and types.MappingProxyType is type(type.__dict__)
assert types.new_class("X", (object,)).__name__ == "X"
print("simple_namespace: ok")
