# requires: 3.15
# _typing and PEP 695 objects as CPython 3.15 has them: typing's C helpers call back into
# typing.py (substitution, Generic[...], Unpack), reprs of 3.14+ unions, lazy evaluators.
import _typing
import pickle
import types
import typing
from typing import (Callable, Generic, NoDefault, ParamSpec, TypeAliasType, TypeVar, TypeVarTuple,
                    Union, Unpack, get_args, get_origin, get_type_hints)

print(sorted(n for n in dir(_typing) if not n.startswith("__")))
print(_typing.TypeVar is TypeVar, _typing.Union is Union, _typing.Generic is Generic)
print(_typing._idfunc(5), NoDefault, NoDefault.__reduce__(), type(NoDefault)() is NoDefault)

T = TypeVar("T")
U = TypeVar("U", default=int)
P = ParamSpec("P")
Ts = TypeVarTuple("Ts")

# `|` on TypeVars makes a typing.Union; strings become forward references.
print(T | int, int | T, T | "Fwd", "Fwd" | T, T | None, type(T | int).__name__)
print(Union[int, str], Union[T, list[T]][int], typing.Optional[int], int | None == typing.Optional[int])
print(T.__module__, P.__module__, Ts.__module__, T.__reduce__(), pickle.loads(pickle.dumps(T)) is T)
print(U.has_default(), U.__default__, T.has_default(), T.__default__, Ts.__bound__, Ts.__covariant__)

# Lazy evaluators: a value given to the constructor answers through a _ConstEvaluator.
B = TypeVar("B", bound=list[int])
C = TypeVar("C", int, str)
print(B.evaluate_bound, B.evaluate_bound(1), B.evaluate_bound(4), C.evaluate_constraints(4))
print(U.evaluate_default(4), T.evaluate_bound, TypeVar("N", bound=None).__bound__)

# Iterating a TypeVarTuple unpacks it.
print(list(iter(Ts)), [*Ts], tuple[*Ts], Generic[*Ts], Generic[T, *Ts])

for bad in [lambda: types.new_class("X", (T,)), lambda: types.new_class("X", (P.args,)), lambda: TypeVar("X", int), lambda: TypeVar("X", int, str, bound=int),
            lambda: TypeVar("X", covariant=True, contravariant=True), lambda: Ts.__typing_subst__(int),
            lambda: TypeVar("X", bound=3), lambda: TypeAliasType("A", int, type_params=(U, T))]:
    try:
        bad()
    except (TypeError, ValueError) as e:
        print(type(e).__name__ + ":", e)

# PEP 695 classes subclass typing.Generic through Generic[...].
class Box[K, V = str]:
    pass

class Arr[*Shape]:
    pass

print(Box.__orig_bases__, Box.__parameters__, Box.__mro__, Box[int], Box[int, bytes])
print(Arr.__orig_bases__, Arr.__parameters__, Arr[int, str], Arr[()])
try:
    Box[int, str, bytes]
except TypeError as e:
    print("TypeError:", e)

class Handler[**Q]:
    pass

print(Handler[[int, str]], Handler[int, str], Handler[...], Handler.__parameters__)

# Generic functions and aliases.
def first[X: (int, str), *Rest, **R](a: X) -> X:
    return a

print(first.__type_params__, [p.__module__ for p in first.__type_params__], first.__type_params__[0].__constraints__)

type Alias[A] = list[A] | set[A]
type Plain = int

class Outer:
    type Inner[Z] = dict[str, Z]

print(Alias, Alias.__qualname__, Alias.__module__, Alias[int], Alias.__parameters__, Alias.__value__)
print(Plain | None, Outer.Inner, Outer.Inner.__qualname__, Outer.Inner[int], get_origin(Alias[int]) is Alias)
print(Plain.evaluate_value(1), Plain.__reduce__(), Alias.__type_params__)
try:
    Plain[int]
except TypeError as e:
    print("TypeError:", e)
M = TypeAliasType("M", list[T], type_params=(T,), qualname="Q.M")
print(M, M.__qualname__, M.__module__, M[int], M.__value__, M.evaluate_value(4))
print(list(iter(Alias)))

# ParamSpec substitution and Callable.
C1 = Callable[P, T]
print(C1[[int], str], C1[..., str], P.args, P.kwargs, get_args(Callable[P, int]))

def deco[**Q, R](f: Callable[Q, R]) -> Callable[Q, R]:
    return f

print(get_type_hints(deco))
print("typing_pep695: ok")
