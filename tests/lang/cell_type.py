# types.CellType can be made directly (dataclasses and typing tests do), empty or holding a value.
import types

c = types.CellType()
print(type(c).__name__)
try:
    c.cell_contents
except ValueError as e:
    print("ValueError", e)
c.cell_contents = [1]
print(c.cell_contents)
print(types.CellType(5).cell_contents)
for a, k in [((1, 2), {}), ((), {"x": 1})]:
    try:
        types.CellType(*a, **k)
    except TypeError as e:
        print("TypeError", e)


def outer():
    x = 1

    def inner():
        return x

    return inner


f = outer()
print(type(f.__closure__[0]) is types.CellType)
# A function can be rebuilt with a hand-made closure.
g = types.FunctionType(f.__code__, f.__globals__, "g", None, (types.CellType(42),))
print(g())
print("cell_type: ok")
