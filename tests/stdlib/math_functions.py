# math: float functions with their special values, exact integer functions, fsum/hypot/dist,
# rounding through __floor__/__ceil__/__trunc__, and the error types.
import math


def err(f, *a):
    try:
        r = f(*a)
    except (ValueError, OverflowError, TypeError, ZeroDivisionError) as e:
        print("  ", f.__name__, type(e).__name__)
    else:
        print("   no error", r)


print(math.pi, math.e, math.tau, math.inf, math.nan, -math.inf)
print(math.sqrt(2), math.sqrt(16), math.exp(1), math.exp(-745.2), math.log(math.e), math.log(100, 10), math.log(8, 2))
print(math.log2(1024), math.log10(1000), math.log1p(1e-10), math.expm1(1e-10), math.log(2 ** 1000), math.log10(10 ** 400), math.log2(2 ** 5000))
print(math.sin(0.5), math.cos(0.5), math.tan(0.5), math.asin(0.5), math.acos(0.5), math.atan(0.5), math.atan2(1, -1))
print(math.sinh(1), math.cosh(1), math.tanh(1), math.asinh(1), round(math.acosh(2), 12), round(math.atanh(0.5), 12))
print(math.erf(0.5), math.erfc(0.5), math.gamma(5), math.gamma(0.5), math.lgamma(10), math.lgamma(0.5))
print(math.degrees(math.pi), math.radians(180), math.fabs(-3), math.copysign(3, -0.0), math.hypot(3, 4), math.hypot(), math.hypot(1e308, 1e308))
print(math.hypot(1, 2, 3), math.dist((0, 0), (3, 4)), math.dist([1, 2, 3], [4, 6, 8]), math.hypot(5e-324, 5e-324))
print(math.floor(2.5), math.floor(-2.5), math.ceil(2.1), math.ceil(-2.1), math.trunc(-2.7), math.floor(7), math.ceil(True), type(math.floor(2.0)))
print(math.fmod(7, 3), math.fmod(-7, 3), math.fmod(1, math.inf), math.remainder(5, 2), math.remainder(7, 2), math.remainder(-5, 3), math.remainder(3, math.inf))
print(math.pow(2, 10), math.pow(2, -1), math.pow(math.inf, -1), math.pow(-math.inf, 3), math.pow(1, math.nan), math.pow(math.nan, 0), math.pow(0.5, math.inf))
print(math.frexp(8.0), math.frexp(0.1), math.frexp(0.0), math.frexp(5e-324), math.ldexp(0.5, 4), math.ldexp(1.0, -1074), math.ldexp(1.0, -2000))
print(math.modf(3.25), math.modf(-3.25), math.modf(math.inf))
print(math.isfinite(1.0), math.isinf(math.inf), math.isnan(math.nan), math.isnan(1))
print(math.isclose(1.0, 1.0 + 1e-10), math.isclose(1.0, 1.1), math.isclose(0.0, 1e-10, abs_tol=1e-9), math.isclose(math.inf, math.inf))
print(math.ulp(1.0), math.ulp(0.0), math.ulp(1e308), math.ulp(-2.0), math.nextafter(1.0, 2.0), math.nextafter(1.0, 0.0), math.nextafter(0.0, -1.0))
print(math.fsum([0.1] * 10), math.fsum([1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50]), math.fsum([]), math.fsum([math.inf, 1]))
print(math.fsum([1e308, 1e308, -1e308]) if False else math.fsum([1.0, 1e-16, 1e-16]), math.fsum(i / 7 for i in range(100)))
print(math.prod([1, 2, 3, 4]), math.prod([]), math.prod([2.5, 4]), math.prod(range(1, 6), start=10), math.prod(["ab", 3]))
print(math.gcd(12, 18), math.gcd(0, 0), math.gcd(-4, 6), math.gcd(12, 18, 27), math.gcd(), math.gcd(2 ** 100, 6 ** 50))
print(math.lcm(4, 6), math.lcm(), math.lcm(0, 5), math.lcm(-4, 6, 10), math.lcm(2 ** 64, 3))
print(math.isqrt(0), math.isqrt(15), math.isqrt(16), math.isqrt(10 ** 40), math.isqrt(2 ** 127 - 1), math.isqrt(True))
print(math.factorial(0), math.factorial(10), math.factorial(30), len(str(math.factorial(500))))
print(math.comb(5, 2), math.comb(10, 0), math.comb(3, 5), math.comb(100, 50), math.comb(10 ** 20, 2))
print(math.perm(5, 2), math.perm(5), math.perm(3, 5), math.perm(10, 0), math.perm(20, 10))


class Celsius:
    def __init__(self, v):
        self.v = v

    def __floor__(self):
        return "floor!"

    def __ceil__(self):
        return "ceil!"

    def __trunc__(self):
        return "trunc!"


class Real:
    def __float__(self):
        return 2.75


print(math.floor(Celsius(1)), math.ceil(Celsius(1)), math.trunc(Celsius(1)), math.floor(Real()), math.sqrt(Real()))
for f, a in [(math.sqrt, (-1,)), (math.log, (0,)), (math.log, (-1.5,)), (math.exp, (1000,)), (math.acos, (2,)), (math.sqrt, ("a",)),
             (math.factorial, (-1,)), (math.factorial, (1.5,)), (math.isqrt, (-1,)), (math.comb, (3, -1)), (math.perm, (-1, 2)),
             (math.log, (10, 1)), (math.pow, (0, -1)), (math.fmod, (1, 0)), (math.fmod, (math.inf, 1)), (math.ldexp, (1.0, 5000)),
             (math.gamma, (0,)), (math.gamma, (-2,)), (math.lgamma, (-1,)), (math.floor, ("x",)), (math.ceil, (math.inf,)),
             (math.floor, (math.nan,)), (math.trunc, (1j,)), (math.gcd, (1.5,)), (math.dist, ([1], [1, 2])), (math.log1p, (-1,)),
             (math.atanh, (1,)), (math.cosh, (1000,)), (math.fsum, ([math.inf, -math.inf],)), (math.fsum, ([1e308, 1e308],)),
             (math.pow, (-1, 0.5)), (math.remainder, (1, 0)), (math.sin, (math.inf,)), (math.gamma, (200,)), (math.ldexp, (1.0, 2.0))]:
    err(f, *a)
print("math_functions: ok")
