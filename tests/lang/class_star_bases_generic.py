# requires: 3.15
# PEP 695 generic classes with *bases / **keywords: Generic[T] comes after the starred bases.
import typing


class A:
    pass


bases = [A]


class C[T](*bases):
    pass


print(C.__bases__ == (A, typing.Generic), C.__type_params__)
print(C.__orig_bases__ == (A, typing.Generic[C.__type_params__[0]]))


class Meta(type):
    def __new__(mcls, name, bases, ns, **kw):
        cls = super().__new__(mcls, name, bases, ns)
        cls.kw = sorted(kw)
        return cls

    def __init__(cls, *a, **kw):
        super().__init__(*a)


class D[T, *Ts](*bases, **{"metaclass": Meta, "x": 1}):
    def get(self) -> T:
        return __class__


print(type(D).__name__, D.kw, D.__bases__ == (A, typing.Generic), D.__type_params__)
print(D().get() is D, D[int, str].__args__)


class E[T](*[typing.Protocol]):
    def m(self) -> T: ...


print(E.__bases__ == (typing.Protocol, typing.Generic), E.__parameters__)
print("class_star_bases_generic: ok")
