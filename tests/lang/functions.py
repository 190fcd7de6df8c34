# Functions: defaults, keyword-only, *args/**kwargs, closures, decorators, lambdas, recursion,
# and CPython's argument errors. Self-checking: runs on CPython 3.15 and on Pyrite.

def expect_error(exc_type, message, f, *args, **kwargs):
    try:
        f(*args, **kwargs)
    except exc_type as e:
        assert str(e) == message, (str(e), message)
    else:
        raise AssertionError(f"{exc_type.__name__} not raised")


def defaults(a, b=2, *, c=3, d):
    return (a, b, c, d)

assert defaults(1, d=4) == (1, 2, 3, 4)
assert defaults(1, 5, c=6, d=7) == (1, 5, 6, 7)
expect_error(TypeError, "defaults() missing 1 required keyword-only argument: 'd'", defaults, 1)
expect_error(TypeError, "defaults() missing 1 required positional argument: 'a'", defaults, d=1)
expect_error(TypeError, "defaults() got an unexpected keyword argument 'e'", defaults, 1, d=1, e=2)
expect_error(TypeError, "defaults() got multiple values for argument 'a'", defaults, 1, a=2, d=3)
expect_error(TypeError, "defaults() takes from 1 to 2 positional arguments but 3 were given", defaults, 1, 2, 3)
expect_error(TypeError, "defaults() takes from 1 to 2 positional arguments but 3 positional arguments (and 1 keyword-only argument) were given", defaults, 1, 2, 3, d=4)


def varargs(*args, **kwargs):
    return args, kwargs

assert varargs() == ((), {})
assert varargs(1, 2, x=3) == ((1, 2), {"x": 3})
assert varargs(*[1, 2], *(3,), **{"a": 1}, b=2) == ((1, 2, 3), {"a": 1, "b": 2})


def posonly(a, b, /, c):
    return a + b + c

assert posonly(1, 2, c=3) == 6
expect_error(TypeError, "posonly() got some positional-only arguments passed as keyword arguments: 'a, b'", posonly, a=1, b=2, c=3)


def counter():
    n = 0
    def step(by=1):
        nonlocal n
        n += by
        return n
    return step

c = counter()
c()
c(5)
assert c() == 7


def make_adders():
    return [lambda x, i=i: x + i for i in [1, 2, 3]]

assert [f(10) for f in make_adders()] == [11, 12, 13]


def twice(f):
    def wrapper(*a):
        return f(f(*a))
    return wrapper

@twice
def inc(x):
    return x + 1

assert inc(1) == 3


def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)

assert fact(20) == 2432902008176640000


def docstring():
    "The docstring."
    return docstring.__doc__

assert docstring() == "The docstring."
assert defaults.__name__ == "defaults"
assert counter().__qualname__ == "counter.<locals>.step"
print("functions: ok")
