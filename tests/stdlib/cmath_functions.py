# cmath on a grid of finite values (signed zeros, subnormals, huge and random values) and
# infinities: every function's value or error, rect/polar/phase, log with a base, isclose,
# constants, and __complex__/__float__ arguments. NaN parts, whose results CPython changed
# after 3.11, are in cmath_special315.py.
import cmath
import math
import random

random.seed(5)
inf = math.inf
vals = [-inf, -1e308, -2.3, -1.0, -0.5, -1e-310, -0.0, 0.0, 1e-310, 1e-20, 0.5, 1.0, 2.3, 700.0, 1e200, 1e308, inf]
vals += [random.uniform(-5, 5) for _ in range(6)] + [random.choice([-1, 1]) * 10 ** random.uniform(-300, 300) for _ in range(4)]


def r(f):
    try:
        z = f()
    except Exception as e:
        return type(e).__name__
    return repr(z)


names = ["acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "exp", "log", "log10", "sin", "sinh",
         "sqrt", "tan", "tanh", "phase", "polar", "isfinite", "isinf", "isnan"]
for n in names:
    f = getattr(cmath, n)
    for x in vals:
        print(n, repr(x), " ".join(r(lambda: f(complex(x, y))) for y in vals))
for x in vals:
    print("rect", repr(x), " ".join(r(lambda: cmath.rect(x, y)) for y in vals))
    if math.isfinite(x):
        print("log2+1j", repr(x), " ".join(r(lambda: cmath.log(complex(x, y), 2 + 1j)) for y in vals if math.isfinite(y)))
print(cmath.pi, cmath.e, cmath.tau, cmath.inf, cmath.infj, cmath.nan, cmath.nanj)
print(cmath.isclose(1 + 1j, 1 + 1.0000000001j), cmath.isclose(1, 1.1, rel_tol=0.2), cmath.isclose(0, 1e-10, abs_tol=1e-9),
      cmath.isclose(inf, inf), cmath.isclose(inf, 1), cmath.isclose(1j, 1.0000001j, rel_tol=1e-3))
print(r(lambda: cmath.isclose(1, 1, rel_tol=-1)), r(lambda: cmath.log(2, 1)), r(lambda: cmath.log(0)), r(lambda: cmath.log(1, 0)))
print(r(lambda: cmath.sqrt("x")), r(lambda: cmath.exp(1000)), r(lambda: cmath.cosh(1000 + 1j)), cmath.log(8, 2), cmath.sqrt(-1), cmath.exp(1j * cmath.pi))


class C:
    def __complex__(self):
        return 3 + 4j


class F:
    def __float__(self):
        return 4.0


print(cmath.sqrt(C()), cmath.sqrt(F()), cmath.polar(C()), cmath.phase(-1), cmath.phase(complex(-1, -0.0)), cmath.sqrt(4))
print("cmath_functions: ok")
