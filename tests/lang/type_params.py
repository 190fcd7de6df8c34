# requires: 3.15
# PEP 695 type parameter syntax: generic functions and classes, `type` aliases, lazily
# evaluated bounds, constraints, defaults and alias values; TypeVar/ParamSpec/TypeVarTuple.

# Generic functions.
def first[T](xs: list[T]) -> T:
    return xs[0]

assert first([3, 4]) == 3
(T,) = first.__type_params__
TypeVar = type(T)
assert TypeVar.__name__ == "TypeVar" and TypeVar.__module__ == "typing"
assert repr(T) == "T" and T.__name__ == "T"
assert T.__bound__ is None and T.__constraints__ == ()
assert (T.__covariant__, T.__contravariant__, T.__infer_variance__) == (False, False, True)
assert repr(T.__default__) == "typing.NoDefault" and not T.has_default()
assert T.__module__ == "typing"
assert first.__name__ == "first" and first.__qualname__ == "first"

def f[T, *Ts, **P](x: T, *args: *Ts) -> T:
    return x

T2, Ts, P = f.__type_params__
assert repr(Ts) == "Ts" and type(Ts).__name__ == "TypeVarTuple"
assert repr(P) == "P" and type(P).__name__ == "ParamSpec"
assert f.__annotations__["x"] is T2 and f.__annotations__["return"] is T2
assert T2 is not T

# Defaults and keyword-only defaults pass through the generic-parameters function.
def g[T](a=1, b=2, *, c=3):
    return a, b, c

assert g() == (1, 2, 3) and g.__defaults__ == (1, 2) and g.__kwdefaults__ == {"c": 3}

def h[T](*, c=5):
    return c

assert h() == 5 and h.__kwdefaults__ == {"c": 5}

def deco(fn):
    fn.decorated = True
    return fn

@deco
def dec[T](x: T) -> T:
    return x

assert dec.decorated and len(dec.__type_params__) == 1

# Bounds, constraints and defaults are evaluated lazily, once.
calls = []

def note(v):
    calls.append(v)
    return v

def lazy[B: note(int), C: (note(str), bytes), D = note(float)]():
    pass

assert calls == []
B, C, D = lazy.__type_params__
assert B.__bound__ is int and B.__bound__ is int and calls == [int]
assert C.__constraints__ == (str, bytes) and C.__bound__ is None
assert D.__default__ is float and D.has_default() and calls == [int, str, float]
assert B.evaluate_bound(1) is int and C.evaluate_constraints(1) == (str, bytes)
assert D.evaluate_default(1) is float and B.evaluate_default is None
assert T.evaluate_bound is None and T.evaluate_constraints is None

def forward[X: Later]():
    pass

(X,) = forward.__type_params__
try:
    X.__bound__
except NameError as e:
    assert "Later" in str(e)
else:
    raise AssertionError("no NameError")

class Later:
    pass

assert X.__bound__ is Later

def tuple_default[*Us = *tuple[int]]():
    pass

# Type parameters are visible in the function body through a closure.
def body[T]():
    return T

assert body() is body.__type_params__[0]

# Generic classes.
class Box[K: int, V = str]:
    def get(self) -> V:
        return self.v

    def kind(self):
        return K

K, V = Box.__type_params__
assert (repr(K), repr(V)) == ("K", "V")
assert K.__bound__ is int and V.__default__ is str
assert Box.__parameters__ == (K, V)
assert [c.__name__ for c in Box.__mro__] == ["Box", "Generic", "object"]
assert Box.__bases__[0].__name__ == "Generic" and Box.__bases__[0].__module__ == "typing"
assert Box.__qualname__ == "Box" and Box.get.__qualname__ == "Box.get"
assert Box().kind() is K
assert Box.get.__annotations__ == {"return": V}

class Sub(Box):
    pass

assert Sub.__parameters__ == ()
assert [c.__name__ for c in Sub.__mro__] == ["Sub", "Box", "Generic", "object"]

class Base:
    pass

class Multi[T](Base):
    attr = 1

assert [c.__name__ for c in Multi.__mro__] == ["Multi", "Base", "Generic", "object"]
assert Multi.attr == 1 and Multi.__type_params__[0].__name__ == "T"

# Type parameters in a class body see the class namespace (and names are mangled).
class Outer:
    Alias = int

    def method[T: Alias](self):
        return T

    type Inner = Alias

(MT,) = Outer.method.__type_params__
assert MT.__bound__ is int
assert Outer.Inner.__value__ is int
assert Outer().method() is MT

class Mangled[__T]:
    def get(self):
        return __T

assert Mangled().get() is Mangled.__type_params__[0]

# Type aliases.
type Pair[A] = (A, A)
type Simple = int

TypeAliasType = type(Simple)
assert TypeAliasType.__name__ == "TypeAliasType" and TypeAliasType.__module__ == "typing"
assert repr(Simple) == "Simple" and Simple.__name__ == "Simple"
assert Simple.__value__ is int and Simple.__type_params__ == ()
assert Simple.__module__ == __name__ and Simple.evaluate_value(1) is int
(A,) = Pair.__type_params__
assert Pair.__value__ == (A, A) and Pair.__parameters__ == (A,)

type Undefined = not_defined_yet
try:
    Undefined.__value__
except NameError as e:
    assert str(e) == "name 'not_defined_yet' is not defined"
else:
    raise AssertionError("no NameError")
not_defined_yet = 42
assert Undefined.__value__ == 42

type Recursive = list[Recursive] if False else Recursive
assert Recursive.__value__ is Recursive

try:
    Simple.__value__ = 1
except AttributeError as e:
    assert str(e) == "attribute '__value__' of 'typing.TypeAliasType' objects is not writable", str(e)
else:
    raise AssertionError("__value__ writable")

try:
    T.__name__ = "U"
except AttributeError as e:
    assert str(e) == "readonly attribute", str(e)
else:
    raise AssertionError("__name__ writable")

# The runtime types can be called directly.
Z = TypeVar("Z")
assert repr(Z) == "~Z" and not Z.__infer_variance__
assert repr(TypeVar("Z", covariant=True)) == "+Z"
assert repr(TypeVar("Z", contravariant=True)) == "-Z"
assert TypeVar("Z", int, str).__constraints__ == (int, str)
assert TypeVar("Z", bound=int).__bound__ is int
assert repr(type(P)("Q")) == "~Q" and repr(type(Ts)("Us")) == "~Us"
try:
    TypeVar()
except TypeError as e:
    assert str(e) == "typevar() missing required argument 'name' (pos 1)", str(e)
else:
    raise AssertionError("no TypeError")
try:
    TypeVar("Z", covariant=True, contravariant=True)
except ValueError as e:
    assert str(e) == "Bivariant types are not supported.", str(e)
else:
    raise AssertionError("no ValueError")
N = TypeAliasType("N", int)
assert repr(N) == "N" and N.__value__ is int and N.__type_params__ == ()

# Each evaluation of a generic statement makes new type parameters.
def make():
    def inner[T]():
        pass
    return inner.__type_params__[0]

assert make() is not make()

# A generic class's base is `typing.Generic[...]` (typing is imported for it); `*Ts`
# unpacks to `typing.Unpack[Ts]`; an alias in a class is qualified by the class.
class Gen[T, *Ts]:
    type Inner[U] = list[U]

GT, GTs = Gen.__type_params__
assert repr(Gen.__orig_bases__) == "(typing.Generic[T, typing.Unpack[Ts]],)", Gen.__orig_bases__
assert Gen.__parameters__ == (GT, GTs) and repr(Gen[int, str]) == "__main__.Gen[int, str]"
assert repr([*GTs]) == "[typing.Unpack[Ts]]"
assert Gen.Inner.__qualname__ == "Gen.Inner" and repr(Gen.Inner[int]) == "__main__.Gen.Inner[int]"
assert GT.__reduce__() == "T" and type(GT).__module__ == "typing"
try:
    class Bad(GT):
        pass
except TypeError as e:
    assert str(e) == "Cannot subclass an instance of TypeVar", str(e)
else:
    raise AssertionError("subclassed a TypeVar")

print("type_params: ok")
