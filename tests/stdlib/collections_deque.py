# _collections: deque (bounded queues, rotation, indexing, mutation checks), defaultdict,
# _count_elements, and the collections classes built on them.
from _collections import deque, defaultdict, _count_elements
import _collections


def err(f, *a, **k):
    try:
        f(*a, **k)
    except Exception as e:
        print("  ", type(e).__name__, e)
    else:
        print("   no error")


d = deque([1, 2, 3])
d.append(4)
d.appendleft(0)
print(d, len(d), d[0], d[-1], d[2], 3 in d, 9 in d)
print(d.pop(), d.popleft(), d)
d.extend("ab")
d.extendleft([10, 20])
print(d, list(reversed(d)))
d.rotate(2)
print(d)
d.rotate(-3)
print(d)
d.rotate()
print(d, d.count("a"), d.index(2), d.index("b", 2))
d[1] = "X"
del d[0]
print(d)
d.insert(1, "ins")
d.insert(-1, "neg")
d.insert(100, "end")
print(d)
d.remove("ins")
d.reverse()
print(d, d.maxlen)
d.clear()
print(d, bool(d), bool(deque([0])))

# A bounded deque keeps the newest items.
q = deque(maxlen=3)
for i in range(6):
    q.append(i)
print(q, q.maxlen)
q.appendleft(-1)
print(q)
q.extend(range(10, 15))
print(q)
q.extendleft("ab")
print(q, list(q))
print(deque(range(10), 4), deque("abc", maxlen=0))


def tail(lines, n):
    return deque(lines, maxlen=n)


print(list(tail(("line %d" % i for i in range(20)), 3)))


def moving_average(iterable, n=3):
    it = iter(iterable)
    window = deque(next(it) for _ in range(n - 1))
    window.appendleft(0)
    s = sum(window)
    for elem in it:
        s += elem - window.popleft()
        window.append(elem)
        yield s / n


print(list(moving_average([40, 30, 50, 46, 39, 44])))

a = deque([1, 2])
b = a.copy()
b.append(3)
print(a, b, a == b, a < b, a != b, deque([1, 2]) == deque([1, 2]), a == [1, 2])
print(a + b, a * 2, 2 * a)
a += [7]
a *= 2
print(a)
e = deque("xy")
e.extend(e)
print(e)
r = deque()
r.append(r)
print(r)
print(repr(deque([1], maxlen=2)), str(deque()), deque.__hash__)

err(d.pop)
err(deque().popleft)
err(deque([1]).__getitem__, 5)
try:
    deque([1, 2]).index(9)
except ValueError:
    print("index: ValueError")
try:
    deque([1, 2]).remove(9)
except ValueError:
    print("remove: ValueError")
err(deque, [], -1)
err(deque([1], maxlen=1).insert, 0, 1)
err(lambda: deque([1]) + [1])
err(deque, 1)
m = deque([1, 2, 3])
def mutate():
    for x in m:
        m.append(x)
err(mutate)
it = iter(deque("abc"))
print(next(it), list(it))

class Stack(deque):
    def push(self, x):
        self.append(x)

s = Stack([1])
s.push(2)
print(s, type(s.copy()).__name__, isinstance(s, deque))
s += [3]
s *= 2
print(s, s + Stack([9]), type(s + Stack([9])).__name__, len(s), s[-1], list(reversed(s)))

dd = defaultdict(list)
for k, v in [("a", 1), ("b", 2), ("a", 3)]:
    dd[k].append(v)
print(dd, dd["zz"], sorted(dd), dd.default_factory)
print(defaultdict(int, {"x": 1}), defaultdict(), repr(defaultdict(None, a=1)))
c = dd.copy()
print(type(c).__name__, c == dd, c is dd, c.default_factory is list)
print(dd.get("missing"), "missing" in dd)
counts = defaultdict(int)
for ch in "mississippi":
    counts[ch] += 1
print(sorted(counts.items()))
n = defaultdict()
err(n.__getitem__, "k")
err(defaultdict, 1)
print(type(defaultdict(int) | {1: 2}).__name__, defaultdict(int) | {1: 2})
tree = lambda: defaultdict(tree)
t = tree()
t["a"]["b"]["c"] = 1
print(t["a"]["b"]["c"], isinstance(t, dict))

counter = {}
_count_elements(counter, "abracadabra")
print(sorted(counter.items()))
print(type(deque.__dict__["maxlen"]).__name__, deque.__module__, defaultdict.__module__)
print("collections_deque: ok")
