# requires: 3.15
# cmath's results for infinite and NaN parts as CPython 3.15 gives them (its special-value
# tables changed after 3.11), including domain errors, and log with a base of such values.
import cmath
import math

inf, nan = math.inf, math.nan
vals = [-inf, -2.3, -0.0, 0.0, 2.3, inf, nan]


def r(f):
    try:
        z = f()
    except Exception as e:
        return type(e).__name__
    return repr(z)


for n in ["acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "exp", "log", "log10", "sin", "sinh",
          "sqrt", "tan", "tanh", "phase", "polar", "isfinite", "isinf", "isnan"]:
    f = getattr(cmath, n)
    for x in vals:
        cells = []
        for y in vals:
            if math.isfinite(x) and math.isfinite(y) and (x not in (0.0,) or y not in (0.0,)):
                continue
            cells.append(r(lambda: f(complex(x, y))))
        print(n, repr(x), " ".join(cells))
for x in vals:
    print("rect", repr(x), " ".join(r(lambda: cmath.rect(x, y)) for y in vals if not (math.isfinite(x) and math.isfinite(y))))
    print("log", repr(x), " ".join(r(lambda: cmath.log(complex(x, y), 2)) for y in vals if not (math.isfinite(x) and math.isfinite(y))))
print(cmath.log(0, 2 + 1j), r(lambda: cmath.phase(1e200 + 1e-310j)), cmath.phase(2.3 + 1e-310j))
print("cmath_special315: ok")
