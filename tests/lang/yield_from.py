# `yield from`: values, send, throw and close delegated to the subiterator, return values;
# StopIteration.value; and the `__new__` of built-in types.


def inner():
    x = yield 1
    y = yield x
    return (x, y)


def outer():
    r = yield from inner()
    yield ("ret", r)


g = outer()
assert (next(g), g.send("a"), g.send("b")) == (1, "a", ("ret", ("a", "b")))


def sub():
    try:
        yield 1
    except ValueError as e:
        yield ("caught", str(e))
    return 7


def top():
    v = yield from sub()
    yield v


g = top()
assert (next(g), g.throw(ValueError("boom")), next(g)) == (1, ("caught", "boom"), 7)

log = []


def closing():
    try:
        yield 1
        yield 2
    finally:
        log.append("sub closed")


def delegating():
    try:
        yield from closing()
    finally:
        log.append("outer closed")


g = delegating()
next(g)
g.close()
assert log == ["sub closed", "outer closed"], log


def uncaught():
    yield from sub()


g = uncaught()
next(g)
try:
    g.throw(KeyError("k"))
    raise AssertionError("no KeyError")
except KeyError as e:
    assert e.args == ("k",)


def gen(n):
    yield from range(n)


assert list(gen(4)) == [0, 1, 2, 3]
assert StopIteration(5).value == 5 and StopIteration().value is None
e = StopIteration(1)
e.value = 3
assert (e.value, e.args) == (3, (1,))


def rt():
    yield 1
    return 9


def w():
    v = yield from rt()
    return v


g = w()
next(g)
try:
    next(g)
    raise AssertionError("no StopIteration")
except StopIteration as s:
    assert s.value == 9


class It:
    def __init__(self):
        self.i = 0

    def __iter__(self):
        return self

    def __next__(self):
        self.i += 1
        if self.i > 2:
            raise StopIteration(42)
        return self.i


def w2():
    r = yield from It()
    yield r


assert list(w2()) == [1, 2, 42]


def nested(n):
    if n:
        yield n
        yield from nested(n - 1)


assert list(nested(5)) == [5, 4, 3, 2, 1]


# __new__ of built-in types.
class A:
    def __init__(self, x):
        self.x = x


a = A.__new__(A)
assert type(a) is A and not hasattr(a, "x")
assert type(object.__new__(A)) is A and int.__new__(int, 5) == 5 and str.__new__(str, "q") == "q"


class I(int):
    pass


i = int.__new__(I, 7)
assert i == 7 and type(i) is I
for bad, msg in [
    (lambda: object.__new__(5), "object.__new__(X): X is not a type object (int)"),
    (lambda: int.__new__(str), "int.__new__(str): str is not a subtype of int"),
    (lambda: object.__new__(int), "object.__new__(int) is not safe, use int.__new__()"),
    (lambda: object.__new__(), "object.__new__(): not enough arguments"),
]:
    try:
        bad()
        raise AssertionError(msg)
    except TypeError as e:
        assert str(e) == msg, e


class M(type):
    def __new__(m, name, bases, ns):
        return super().__new__(m, name, bases, ns)


class C(metaclass=M):
    pass


assert type(C) is M and tuple.__new__(tuple, [1, 2]) == (1, 2)
ints = [I(k) for k in range(100)]
del ints
print("yield_from: ok")
