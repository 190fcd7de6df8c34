# Real use of Lib/ modules that now import unmodified on Pyrite: re, json, collections,
# functools, enum, dataclass-free records, copy/pickle, decimal/fractions/statistics, textwrap,
# datetime, random, string, struct, heapq/bisect, hashlib/base64, weakref, threading.
import re, json, collections, functools, enum, copy, pickle, decimal, fractions, statistics
import textwrap, datetime, random, string, struct, heapq, bisect, hashlib, base64, weakref
import threading, itertools, operator, io, os

print(re.findall(r"(\w+)=(\d+)", "a=1, bb=22, c=x"), re.sub(r"\s+", " ", "a  b\t\nc"))
m = re.match(r"(?P<key>\w+):(?P<val>.*)", "name: pyrite")
print(m.group("key"), m["val"].strip(), m.span(), re.split(r"[,;]", "a,b;c"))
doc = json.loads('{"xs": [1, 2.5, null, true], "s": "\\u00e9"}')
print(doc, json.dumps(doc, sort_keys=True), json.dumps({"b": 1, "a": [1, 2]}, indent=1))
Point = collections.namedtuple("Point", "x y")
p = Point(1, 2)
print(p, p._replace(y=5), p._asdict(), collections.Counter("abracadabra").most_common(2))
d = collections.defaultdict(list); d["k"].append(1); print(dict(d), list(collections.OrderedDict(a=1, b=2).items()))
dq = collections.deque(range(5), maxlen=3); dq.append(9); print(dq, collections.ChainMap({"a": 1}, {"a": 2, "b": 3})["b"])

@functools.lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(80), fib.cache_info().hits > 0, functools.reduce(operator.mul, range(1, 10)), functools.partial(int, base=2)("101"))

class Color(enum.Enum):
    RED = 1
    GREEN = 2
class Perm(enum.IntFlag):
    R = 4
    W = 2
print(Color.RED, Color(2), list(Color), Perm.R | Perm.W, int(Perm.R | Perm.W), Color["GREEN"].value)

orig = {"a": [1, [2, 3]], "b": Point(1, 2)}
dc = copy.deepcopy(orig); dc["a"][1].append(4)
print(orig, dc["a"], pickle.loads(pickle.dumps(orig)) == orig)
print(decimal.Decimal("1.10") + decimal.Decimal("2.205"), fractions.Fraction(3, 4) * 2, statistics.median([3, 1, 4, 1, 5]))
print(textwrap.fill("The quick brown fox jumps over the lazy dog " * 2, width=30))
print(datetime.date(2024, 2, 28) + datetime.timedelta(days=2), datetime.datetime(2020, 1, 1, 12, 30).isoformat())
r = random.Random(42)
print(r.random(), r.randint(1, 100), r.choice("abcdef"), r.sample(range(10), 3))
print(string.Template("$who likes $what").substitute(who="Tim", what="pie"), string.capwords("hello world"))
print(struct.pack("<hIq", -2, 7, 1 << 40).hex(), struct.unpack(">H", b"\x01\x02"))
h = [5, 1, 4]; heapq.heapify(h); heapq.heappush(h, 0); print([heapq.heappop(h) for _ in range(4)], bisect.bisect([1, 3, 5], 4))
print(hashlib.sha256(b"abc").hexdigest()[:16], hashlib.md5(b"").hexdigest(), base64.b16encode(b"pyrite"))

class Node:
    pass
n = Node(); ref = weakref.ref(n); print(ref() is n)
counter = [0]
lock = threading.Lock()
def work():
    for _ in range(1000):
        with lock:
            counter[0] += 1
ts = [threading.Thread(target=work) for _ in range(4)]
for t in ts: t.start()
for t in ts: t.join()
print(counter[0], list(itertools.accumulate([1, 2, 3])), io.StringIO("a\nb\n").readlines(), os.path.join("a", "b"))
print("lib_modules_usage: ok")
