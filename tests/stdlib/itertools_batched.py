# requires: 3.15
# itertools.batched (3.12) with strict= (3.13), and the 3.14+ messages.
from itertools import batched, islice, count

print(list(batched("ABCDEFG", 3)), list(batched([], 2)), list(batched(range(4), n=2)))
print(list(islice(batched(count(), 4), 2)))
for args in [("abc", 0), ("abc", -1)]:
    try:
        batched(*args)
    except ValueError as e:
        print("ValueError", e)
try:
    list(batched("ABCDE", 2, strict=True))
except ValueError as e:
    print("strict:", e)
print(list(batched("ABCD", 2, strict=True)))
b = batched("ABCDE", 2, strict=True)
print(next(b), next(b))
try:
    next(b)
except ValueError as e:
    print("strict:", e)
print(list(b))
import itertools
for f, args in [(itertools.combinations, ("abc", -1)), (itertools.combinations_with_replacement, ("a", -1)),
                (itertools.permutations, ("a", -1)), (itertools.tee, ("abc", -1))]:
    try:
        f(*args)
    except ValueError as e:
        print(f.__name__, e)
try:
    len(itertools.repeat(1))
except TypeError as e:
    print(e)
print("itertools_batched: ok")
