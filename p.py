s = {0, 8}; s.remove(0); s.add(16); print(list(s))
s = set(range(5)); print(s.pop(), s.pop(), s)
print(hash(frozenset({1,2,3})), hash(frozenset()), hash(frozenset({(1,2), 'x'})) if False else 0)
print({1,2} | {3}, frozenset({1}) | {2}, {1} | frozenset({2}))
print(hash(slice(1,2,3)), hash(slice(None)), hash(range(0)), hash(range(1,5,2)), hash(range(3,4,9)))
class D(dict):
    def __missing__(self, k): return k*2
print(D()[3])
print(repr(set()), repr(frozenset()), repr({1}), repr(frozenset({1})))
d = {1: 2}; print(d.keys(), d.values(), d.items(), d.keys() | {5}, d.keys() & {1}, d.items() - {(1,2)}, {1} - d.keys())
