# X | Y unions, isinstance/issubclass with unions, tuples and metaclass __instancecheck__/__subclasscheck__.
u = int | str
print(u, type(u) is type(str | bytes), u.__args__, int | None, None | int, int | int, (int | str) == (str | int), hash(int | str) == hash(str | int))
print(list[int] | None, isinstance(3, int | str), isinstance(3.0, int | str), issubclass(bool, int | None))
print(int | str | float, (int | str) | (float | int))
try: int | 3
except TypeError as e: print(e)
class Meta(type):
    def __instancecheck__(cls, o): return o == 42
    def __subclasscheck__(cls, c): return c is float
class X(metaclass=Meta): pass
print(isinstance(42, X), isinstance(41, X), issubclass(float, X), issubclass(int, X), isinstance(X(), X))
class P:
    __class__ = int
print(isinstance(P(), int), isinstance(P(), P))
try: isinstance(1, 3)
except TypeError as e: print(e)
try: issubclass(1, int)
except TypeError as e: print(e)
print(type.__instancecheck__(int, 3) if hasattr(type, '__instancecheck__') else 'no')
print("union_isinstance: ok")
