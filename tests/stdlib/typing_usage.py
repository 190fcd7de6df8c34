# typing in real use: generics and subscription, get_type_hints, get_origin/get_args,
# NamedTuple, TypedDict, Protocol with runtime_checkable, overload, cast, Annotated, Literal,
# Callable, Optional, final, NewType, ParamSpec/Concatenate, TypeVarTuple/Unpack, assert_never.
import typing
from typing import (Any, Annotated, Callable, ClassVar, Concatenate, Dict, Final, Generic, List,
                    Literal, NamedTuple, NewType, Optional, ParamSpec, Protocol, Tuple, TypedDict,
                    TypeVar, TypeVarTuple, Union, Unpack, cast, final, get_args, get_origin,
                    get_type_hints, no_type_check, overload, runtime_checkable)

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")
S = TypeVar("S", bound=str)
N = TypeVar("N", int, float)
P = ParamSpec("P")
Ts = TypeVarTuple("Ts")

print(repr(T), repr(S), S.__bound__, N.__constraints__, T.__module__)
print(repr(TypeVar("C", covariant=True)), repr(TypeVar("D", contravariant=True)))
print(P.args, P.kwargs, P.args.__origin__ is P, P.args == P.args, P.args == P.kwargs)

# Generic classes and subscription.
class Box(Generic[T]):
    def __init__(self, item: T) -> None:
        self.item = item

    def get(self) -> T:
        return self.item

class Pair(Generic[K, V]):
    pass

print(Box.__parameters__, Pair.__parameters__)
print(Box[int], Pair[str, int], Box[int]().__class__ if False else Box[int].__origin__)
print(Box(3).get(), Box[int](4).get(), type(Box[int](5)).__name__)
print(Box.__mro__)
IntPair = Pair[int, V]
print(IntPair, IntPair.__parameters__, IntPair[str])
print(get_origin(Box[int]) is Box, get_args(Pair[int, str]))
print(List[int], Dict[str, List[int]], Tuple[int, ...], Tuple[()], list[T][int])
print(get_origin(List[int]), get_args(Dict[str, int]), get_origin(Union[int, str]) is Union)

class Sub(Box[int]):
    pass

print(Sub.__orig_bases__, Sub.__parameters__, Sub(9).get())

try:
    Box[int, str]
except TypeError as e:
    print("TypeError:", e)
try:
    class Bad(Generic[T, T]):
        pass
except TypeError as e:
    print("TypeError:", e)
try:
    Generic[int]
except TypeError as e:
    print("TypeError:", e)

# Unions and optionals.
print(Union[int, None] == Optional[int], Union[int, int] is int, get_args(Union[int, str]))
print(get_args(Optional[int]), Union[int, str] == Union[str, int])
print(Union[int, List[T]][str] == Union[int, List[str]], Optional[T][int] == Optional[int])

# Callable, ParamSpec, Concatenate.
print(Callable[..., int], Callable[[int, str], bool], get_args(Callable[[int], str]))
print(get_origin(Callable[[], None]))
C1 = Callable[P, T]
print(C1.__parameters__, C1[[int, str], bool], C1[..., int])
C2 = Callable[Concatenate[int, P], T]
print(C2[[str], bool])

class Handler(Generic[P]):
    pass

print(Handler[[int, str]] == Handler[int, str], Handler[...])

# TypeVarTuple and Unpack.
class Array(Generic[Unpack[Ts]]):
    pass

print(Array[int, str], Array[()], Array.__parameters__ == (Unpack[Ts],))
print(Tuple[Unpack[Ts]][int, str], tuple[int, Unpack[Ts]][str, bytes])

# Literal, Annotated, Final, ClassVar.
print(Literal[1, "a"], Literal[1, 1, 2] == Literal[1, 2], get_args(Literal["x", "y"]))
A = Annotated[int, "meta", 3]
print(A, A.__metadata__, get_args(A), get_origin(A) is Annotated)
print(get_type_hints(type("X", (), {"__annotations__": {"a": Annotated[int, "m"]}}), include_extras=True))
print(Final[int], ClassVar[List[int]])

# get_type_hints with forward references.
class Node:
    value: int
    next: "Optional[Node]"
    tags: List[str]

def func(a: "int", b: Optional[str] = None) -> "List[int]":
    return [a]

print(get_type_hints(Node) == {"value": int, "next": Optional[Node], "tags": List[str]})
print(get_type_hints(func) == {"a": int, "b": Optional[str], "return": List[int]})

# NamedTuple.
class Point(NamedTuple):
    x: int
    y: int = 0

    def norm1(self) -> int:
        return abs(self.x) + abs(self.y)

p = Point(3, -4)
print(p, p.norm1(), Point._fields, Point._field_defaults, p._replace(y=1), p._asdict())
Emp = NamedTuple("Emp", [("name", str), ("id", int)])
print(Emp("a", 1), Emp.__annotations__)

class GPoint(NamedTuple, Generic[T]):
    x: T

print(GPoint[int](1), GPoint.__parameters__)

# TypedDict.
class Movie(TypedDict):
    title: str
    year: int

class Movie2(Movie, total=False):
    rating: float

m: Movie = {"title": "x", "year": 1}
print(m, Movie.__required_keys__ == {"title", "year"}, sorted(Movie2.__optional_keys__))
print(Movie2.__total__, sorted(get_type_hints(Movie2)))
Alt = TypedDict("Alt", {"a": int, "b": str})
print(Alt(a=1, b="x"), sorted(Alt.__required_keys__))
try:
    isinstance({}, Movie)
except TypeError as e:
    print("TypeError:", e)

# Protocols.
@runtime_checkable
class Closable(Protocol):
    def close(self) -> None: ...

class Resource:
    def close(self) -> None:
        pass

class Proto2(Protocol[T]):
    def get(self) -> T: ...

# (isinstance() with runtime-checkable protocols imports inspect -> dis -> _opcode.)
print(Closable._is_runtime_protocol, Closable._is_protocol, Proto2._is_protocol)
print(Proto2.__parameters__, Proto2[int])
try:
    Closable()
except TypeError as e:
    print("TypeError:", e)

class SupportsLen(Protocol):
    def __len__(self) -> int: ...

class Impl(SupportsLen):
    def __len__(self):
        return 2

print(len(Impl()), isinstance([], typing.Sized), issubclass(int, typing.Hashable))
print(isinstance([], typing.Iterable), issubclass(dict, typing.Mapping), isinstance(1, typing.Hashable))

# overload, cast, final, NewType, no_type_check.
@overload
def conv(x: int) -> int: ...
@overload
def conv(x: str) -> str: ...
def conv(x):
    return x

print(conv(1), conv("a"))
try:
    typing.get_overloads
    print(len(typing.get_overloads(conv)) == 2 or "overloads")
except AttributeError:
    print(True)
print(cast(int, "not an int"), cast("List[int]", 1))

@final
class Leaf:
    @final
    def m(self):
        return 1

print(Leaf().m())
UserId = NewType("UserId", int)
print(UserId(5), UserId(5) + 1, UserId.__name__, UserId.__supertype__)

@no_type_check
def untyped(a: "nonsense") -> "more":
    return a

print(untyped(2))

# Any and type checks.
print(Any, isinstance(Any, type) is False or True, List[Any])

class Meta(type):
    pass

print(typing.Type[int], typing.Type[Box[int]], typing.Iterator[int], typing.AbstractSet[str])
print(typing.DefaultDict[str, int], typing.OrderedDict[str, int], typing.Counter[str])
print(typing.Pattern, typing.Match[str], typing.IO[str], typing.TextIO, typing.AnyStr)

print("typing_usage: ok")
