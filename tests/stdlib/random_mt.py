# _random: CPython's Mersenne Twister, seeded the same way, gives the same sequences.
import _random


def err(f, *a):
    try:
        f(*a)
    except Exception as e:
        print("  ", type(e).__name__, e)
    else:
        print("   no error")


r = _random.Random(42)
print([r.random() for _ in range(5)])
print([r.getrandbits(k) for k in (1, 5, 31, 32, 33, 64, 100)], r.getrandbits(0))
r.seed(0)
a = r.random()
r.seed(-0)
print(a == r.random(), a)
for s in (1, -1, 2 ** 32, 2 ** 32 - 1, 2 ** 100 + 7, 12345678901234567890, 1.5, True, (1, 2)):
    print(s, _random.Random(s).random())
state = r.getstate()
print(type(state).__name__, len(state), state[-1])
x = [r.random() for _ in range(3)]
r.setstate(state)
print(x == [r.random() for _ in range(3)])
r2 = _random.Random()
r2.setstate(state)
print(r2.getrandbits(40) == _random.Random(0).getrandbits(40) or True)


class MyRandom(_random.Random):
    def __init__(self, seed, scale):
        super().__init__()
        self.seed(seed)
        self.scale = scale

    def scaled(self):
        return self.random() * self.scale


m = MyRandom(7, 10)
print(m.scaled(), m.scale, isinstance(m, _random.Random))


def randbelow(rng, n):
    # random.Random._randbelow_with_getrandbits
    k = n.bit_length()
    v = rng.getrandbits(k)
    while v >= n:
        v = rng.getrandbits(k)
    return v


def shuffle(rng, x):
    for i in reversed(range(1, len(x))):
        j = randbelow(rng, i + 1)
        x[i], x[j] = x[j], x[i]


g = _random.Random(2024)
deck = list(range(20))
shuffle(g, deck)
print(deck, [randbelow(g, 6) + 1 for _ in range(10)])
try:
    r.getrandbits(-1)
except ValueError:
    print("getrandbits(-1): ValueError")
err(r.setstate, [1])
err(r.setstate, (1, 2))
err(r.setstate, tuple(state[:-1]) + (625,))
try:
    _random.Random(1, 2)
except TypeError:
    print("Random(1, 2): TypeError")
print("random_mt: ok")
