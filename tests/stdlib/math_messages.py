# requires: 3.15
# math: CPython 3.15's error messages (3.14 made the domain errors name the argument).
import math

for f, a in [(math.sqrt, (-1,)), (math.log, (-1,)), (math.log, (0.0,)), (math.log, (8, 0)), (math.exp, (1000,)),
             (math.acos, (2,)), (math.acosh, (0.5,)), (math.atanh, (1,)), (math.sqrt, ("a",)), (math.cos, (math.inf,)),
             (math.factorial, (-1,)), (math.factorial, (1.5,)), (math.isqrt, (-1,)), (math.comb, (3, -1)),
             (math.perm, (-1, 2)), (math.log, (10, 1)), (math.pow, (0, -1)), (math.fmod, (1, 0)), (math.ldexp, (1.0, 5000)),
             (math.gamma, (0,)), (math.lgamma, (-1,)), (math.log1p, (-1,)), (math.floor, ("x",)), (math.ceil, (math.inf,)),
             (math.trunc, (1j,)), (math.dist, ([1], [1, 2])), (math.fsum, ([math.inf, -math.inf],)),
             (math.fsum, ([1e308, 1e308],)), (math.sumprod, ([1], [1, 2])), (math.log2, (-1.5,)), (math.log10, (0,)),
             (math.ldexp, (1.0, 2.0)), (math.nextafter, (1.0, 2.0, 1, 2))]:
    try:
        f(*a)
    except Exception as e:
        print(f.__name__, a, type(e).__name__, e)
print(math.fmax(1, math.nan), math.fmin(-0.0, 2), math.signbit(-0.0), math.isnormal(1e-310), math.issubnormal(1e-310))
print(math.fma(2.0, 3.0, 1.0), math.exp2(10), math.sumprod([1, 2, 3], [4, 5, 6]), math.sumprod([0.1] * 3, [3.0] * 3))
print(math.nextafter(1.0, 2.0, steps=3), math.nextafter(0.0, 1.0, steps=2), math.nextafter(1.0, 1.0, steps=5), math.nextafter(-0.0, 1.0, steps=1))
try:
    math.nextafter(1.0, 2.0, steps=-1)
except ValueError as e:
    print(e)
print("math_messages: ok")
