# _functools: reduce, cmp_to_key and _lru_cache_wrapper (the C core of functools.lru_cache),
# driven directly with the namedtuple-like cache_info type functools passes.
from _functools import reduce, cmp_to_key, _lru_cache_wrapper
import operator


def err(f, *a, **k):
    try:
        f(*a, **k)
    except Exception as e:
        print("  ", type(e).__name__, e)
    else:
        print("   no error")


print(reduce(operator.add, [1, 2, 3, 4]), reduce(operator.mul, range(1, 8), 1), reduce(lambda a, b: a + b, ["x"], "y"))
print(reduce(max, [3, 9, 2]), reduce(operator.add, [], 10), reduce(lambda acc, c: acc * 10 + c, [1, 2, 3]))
err(reduce, operator.add, [])
err(reduce, operator.add, 5)


def numeric_cmp(a, b):
    return (a > b) - (a < b)


def by_length_then_reverse(a, b):
    if len(a) != len(b):
        return len(a) - len(b)
    return numeric_cmp(b, a)


words = ["pear", "fig", "apple", "kiwi", "banana", "date"]
print(sorted(words, key=cmp_to_key(by_length_then_reverse)))
print(sorted([5, 2, 9, 1], key=cmp_to_key(lambda a, b: b - a)), max([3, 1, 2], key=cmp_to_key(numeric_cmp)))
K = cmp_to_key(numeric_cmp)
k1, k2 = K(1), K(2)
print(k1 < k2, k1 > k2, k1 == K(1), k1 <= k2, k2 >= k1, k1 != k2, k1.obj, K(obj=5).obj)
err(hash, k1)
err(lambda: k1 < 3)


class CacheInfo(tuple):
    def __new__(cls, hits, misses, maxsize, currsize):
        return tuple.__new__(cls, (hits, misses, maxsize, currsize))

    def __repr__(self):
        return "CacheInfo(hits=%r, misses=%r, maxsize=%r, currsize=%r)" % tuple(self)


calls = []


def fib(n):
    calls.append(n)
    return n if n < 2 else cached_fib(n - 1) + cached_fib(n - 2)


cached_fib = _lru_cache_wrapper(fib, None, False, CacheInfo)
print(cached_fib(30), len(calls), cached_fib.cache_info())
cached_fib.cache_clear()
print(cached_fib.cache_info())

log = []


def square(x):
    log.append(x)
    return x * x


sq = _lru_cache_wrapper(square, 2, False, CacheInfo)
print([sq(x) for x in [1, 2, 1, 3, 2, 1]], log, sq.cache_info())
typed = _lru_cache_wrapper(square, 10, True, CacheInfo)
print(typed(3), typed(3.0), typed(3), typed.cache_info())
untyped = _lru_cache_wrapper(square, 10, False, CacheInfo)
print(untyped(3), untyped(3.0), untyped.cache_info())
nocache = _lru_cache_wrapper(square, 0, False, CacheInfo)
print(nocache(4), nocache(4), nocache.cache_info())


def kw(a, b=0, *, c=0):
    return (a, b, c)


kwc = _lru_cache_wrapper(kw, 8, False, CacheInfo)
print(kwc(1), kwc(1, b=2), kwc(1, b=2), kwc(1, c=3), kwc(a=1), kwc.cache_info())
err(_lru_cache_wrapper, 1, None, False, CacheInfo)
err(_lru_cache_wrapper, square, "x", False, CacheInfo)


class Thing:
    def __init__(self, n):
        self.n = n

    def times(self, k):
        return self.n * k

    times = _lru_cache_wrapper(times, 4, False, CacheInfo)


t = Thing(6)
print(t.times(7), t.times(7), Thing.times.cache_info())
sq.__doc__ = "squares"
sq.extra = 1
print(sq.__doc__, sq.extra, sorted(sq.__dict__))
print("functools_lru: ok")
