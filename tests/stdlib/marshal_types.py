# The first native modules: marshal round-trips and Lib/types.py over _types.
import marshal
import types

values = [0, -1, 2**70, 1.5, "héllo", b"\x00\xff", (1, 2), [3, [4]], {"a": 1}, {1, 2}, frozenset({3}), None, True, ...]
for v in values:
    assert marshal.loads(marshal.dumps(v)) == v, v
print(marshal.loads(marshal.dumps((1, "a", None))))

def f():
    yield 1
assert isinstance(f(), types.GeneratorType)
assert isinstance(len, types.BuiltinFunctionType)
assert types.ModuleType("m").__name__ == "m"
ns = types.SimpleNamespace(a=1)
print(ns)
print("marshal_types: ok")
