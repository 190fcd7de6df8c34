# itertools: every iterator, the documentation's recipes, reprs and error messages.
import itertools
from itertools import (accumulate, chain, combinations, combinations_with_replacement,
                       compress, count, cycle, dropwhile, filterfalse, groupby, islice, pairwise,
                       permutations, product, repeat, starmap, takewhile, tee, zip_longest)
import operator


def err(f, *a, **k):
    try:
        f(*a, **k)
    except Exception as e:
        print("  ", type(e).__name__, e)
    else:
        print("   no error")


print(list(islice(count(), 5)), list(islice(count(10, 3), 4)), list(islice(count(1.5, 0.5), 3)))
print(repr(count()), repr(count(5)), repr(count(5, 2)), repr(count(1.5, 0.25)), repr(count(0, 1.0)))
c = count(3)
next(c)
print(repr(c))
err(count, "a")
print(list(islice(cycle("abc"), 8)), list(cycle([])))
print(list(repeat("x", 3)), repr(repeat("x")), repr(repeat("x", 2)), repr(repeat(1, -3)))
r = repeat(7, 4)
print(operator.length_hint(r), next(r), operator.length_hint(r))
print(list(accumulate([1, 2, 3, 4, 5])), list(accumulate([3, 1, 4, 1, 5], max)))
print(list(accumulate([1, 2, 3], initial=100)), list(accumulate([], initial=0)))
print(list(accumulate([1, 2, 3, 4], operator.mul)), list(accumulate("abc")))
print(list(chain("ab", [1, 2], ())), list(chain.from_iterable(["xy", "z"])))
print(chain[int])
err(chain, x=1)
print(list(compress("ABCDEF", [1, 0, 1, 0, 1, 1])), list(compress(range(10), cycle([0, 1]))))
print(list(dropwhile(lambda x: x < 5, [1, 4, 6, 3, 8])), list(takewhile(lambda x: x < 5, [1, 4, 6, 3, 8])))
print(list(filterfalse(lambda x: x % 2, range(10))), list(filterfalse(None, [0, 1, "", "a", None])))
print(list(starmap(pow, [(2, 5), (3, 2), (10, 3)])), list(starmap(operator.add, ["ab", "cd"])))
err(dropwhile, len)
err(starmap, pow, [1])
print(next(starmap(pow, [[2, 3]])))

print([k for k, g in groupby("AAAABBBCCDAABBB")])
print([list(g) for k, g in groupby("AAAABBBCCD")])
print([(k, len(list(g))) for k, g in groupby(sorted(["apple", "avocado", "banana", "blueberry", "cherry"]), key=lambda s: s[0])])
groups = groupby("aabbc")
k1, g1 = next(groups)
k2, g2 = next(groups)
print(k1, list(g1), k2, list(g2))

print(list(islice("ABCDEFG", 2)), list(islice("ABCDEFG", 2, 4)), list(islice("ABCDEFG", 2, None)),
      list(islice("ABCDEFG", 0, None, 2)), list(islice("ABC", None)))
it = iter(range(10))
print(list(islice(it, 3)), next(it))
err(islice, "abc", -1)
err(islice, "abc", 1, -2)
err(islice, "abc", 0, 2, 0)
err(islice, "abc", "x")
err(islice, "abc")
print(list(pairwise("ABCDE")), list(pairwise("A")), list(pairwise([])))
print(list(zip_longest("ABCD", "xy", fillvalue="-")), list(zip_longest()), list(zip_longest([1], [2, 3, 4])))
err(zip_longest, "a", fill=1)

print(list(product("AB", "xy")), list(product(range(2), repeat=3))[:5], list(product()), list(product("ab", [])))
err(product, "a", repeat=-1)
print(list(permutations("ABC", 2)), list(permutations(range(3))), list(permutations("AB", 3)), list(permutations([], 0)))
print(list(combinations("ABCD", 2)), list(combinations(range(4), 3)), list(combinations("AB", 3)), list(combinations("AB", 0)))
print(list(combinations_with_replacement("ABC", 2)), list(combinations_with_replacement([], 2)), list(combinations_with_replacement([], 0)))
err(combinations, "abc")
print(len(list(permutations(range(5)))), len(list(combinations(range(10), 4))), len(list(product(range(3), repeat=4))))

a, b = tee(iter([1, 2, 3, 4]))
print(next(a), next(a), list(b), list(a))
t = tee(range(100), 3)
print(len(t), [sum(x) for x in t], type(t[0]).__name__)
a, b = tee(range(200))
print(list(a)[-1], sum(b))
c = a.__copy__()
print(list(c))
print(tee("abc", 0))

# Recipes from the itertools documentation.
def take(n, iterable):
    return list(islice(iterable, n))

def nth(iterable, n, default=None):
    return next(islice(iterable, n, None), default)

def all_equal(iterable):
    return len(take(2, groupby(iterable))) <= 1

def sliding_window(iterable, n):
    it = iter(iterable)
    window = list(islice(it, n - 1))
    for x in it:
        window.append(x)
        yield tuple(window)
        del window[0]

def roundrobin(*iterables):
    iterators = map(iter, iterables)
    for num_active in range(len(iterables), 0, -1):
        iterators = cycle(islice(iterators, num_active))
        yield from map(next, iterators)

def unique_everseen(iterable, key=None):
    seen = set()
    for element in filterfalse(seen.__contains__, iterable) if key is None else iterable:
        k = element if key is None else key(element)
        if k not in seen:
            seen.add(k)
            yield element

def powerset(iterable):
    s = list(iterable)
    return chain.from_iterable(combinations(s, r) for r in range(len(s) + 1))

def partition(predicate, iterable):
    t1, t2 = tee(iterable)
    return filterfalse(predicate, t1), filter(predicate, t2)

def grouper(iterable, n, fillvalue=None):
    args = [iter(iterable)] * n
    return zip_longest(*args, fillvalue=fillvalue)

print(take(3, count()), nth(range(10), 3), nth("ab", 5, "none"), all_equal("aaa"), all_equal("aab"))
print(list(sliding_window("ABCDE", 3)), "".join(roundrobin("ABC", "D", "EF")))
print(list(unique_everseen("AAAABBBCCDAABBB")), list(powerset([1, 2, 3])))
evens, odds = partition(lambda x: x % 2, range(10))
print(list(evens), list(odds), list(grouper("ABCDEFG", 3, "x")))
print(sum(map(operator.mul, [1, 2, 3], repeat(2))))

class MyChain(chain):
    pass

print(type(MyChain("ab")).__name__, list(MyChain("ab", "c")), isinstance(MyChain(), chain))
print(type(count()).__module__, count.__name__, type(groupby("a")).__name__)
g = next(groupby("a"))[1]
print(type(g).__name__)
print("itertools_recipes: ok")
