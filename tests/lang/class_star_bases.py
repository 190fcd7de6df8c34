# Class statements with *bases and **keywords go through the generic call of __build_class__.
import types


class A:
    pass


class B:
    pass


bases = (A, B)


class C(*bases):
    pass


print(C.__mro__[1:3] == (A, B), C.__bases__ == (A, B))


class D(A, *[B]):
    x = 1


print(D.__bases__ == (A, B), D.x)


class E(*(), *[A]):
    pass


print(E.__bases__ == (A,))


class Meta(type):
    def __new__(mcls, name, bases, ns, **kw):
        cls = super().__new__(mcls, name, bases, ns)
        cls.kw = sorted(kw.items())
        return cls

    def __init__(cls, name, bases, ns, **kw):
        super().__init__(name, bases, ns)


kw = {"metaclass": Meta, "flag": 1}


class F(**kw):
    pass


print(type(F).__name__, F.kw)


class G(A, **{"metaclass": Meta}, other=2):
    pass


print(type(G).__name__, G.kw, G.__bases__ == (A,))


class H(*[A], metaclass=Meta, **{"z": 3}):
    pass


print(type(H).__name__, H.kw)


# __init_subclass__ keywords through **.
class Base:
    def __init_subclass__(cls, **kw):
        cls.seen = sorted(kw)


class Sub(Base, **{"a": 1, "b": 2}):
    pass


print(Sub.seen)


# __mro_entries__ with starred bases: __orig_bases__ keeps the originals.
class Proxy:
    def __mro_entries__(self, bases):
        return (A,)


p = Proxy()


class I(*[p, B]):
    pass


print(I.__bases__ == (A, B), I.__orig_bases__ == (p, B))
print(types.resolve_bases((p, B)) == (A, B))

# Evaluation order: bases then keywords, left to right.
order = []


def note(tag, value):
    order.append(tag)
    return value


class J(note("a", A), *note("b", [B]), **note("c", {})):
    pass


print(order, J.__bases__ == (A, B))


# Errors.
try:
    class K(*1):
        pass
except TypeError as e:
    print("TypeError", e)

try:
    class L(**[1]):
        pass
except TypeError as e:
    print("TypeError", type(e).__name__)

try:
    class M(**{"metaclass": Meta}, metaclass=Meta):
        pass
except TypeError as e:
    print("TypeError", e)


# Nested and in functions; closures over __class__ still work.
def make(*bs, **kws):
    class N(*bs, **kws):
        def who(self):
            return __class__.__name__

    return N


n = make(A, B)
print(n.__bases__ == (A, B), n().who())
print("class_star_bases: ok")
