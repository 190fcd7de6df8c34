# str.join, + and * across the storage kinds (ASCII, Latin-1, BMP, astral): the results
# equal (and hash as) the same text decoded from UTF-32, which is built without them.
import itertools


def ref(cps):
    return b"".join(c.to_bytes(4, "little") for c in cps).decode("utf-32-le")


def cps(s):
    return [ord(c) for c in s]


parts = ["a", "\xe9", "\u20ac", "\U0001d11e", "", "xyz"]
checked = 0
for r in range(4):
    for combo in itertools.product(parts, repeat=r):
        for sep in ["", ",", "\xe9", "\u20ac", "\U0001d11e"]:
            j = sep.join(combo)
            want = []
            for i, p in enumerate(combo):
                if i:
                    want += cps(sep)
                want += cps(p)
            expected = ref(want)
            assert j == expected and hash(j) == hash(expected), (combo, sep)
            assert len(j) == len(want) and j.isascii() == all(c < 128 for c in want)
            checked += 1
        for p in parts:
            c = "".join(combo)
            assert c + p == ref(cps(c) + cps(p)) and hash(c + p) == hash(ref(cps(c) + cps(p)))
            assert p * 3 == ref(cps(p) * 3)


class S(str):
    pass


assert S("ab").join([S("x"), "y"]) == "xaby" and type(S("ab").join([S("x")])) is str
assert type(S("ab").join([S("x"), "y"])) is str
assert "-".join((S("\xe9"), "\u20ac")) == "\xe9-\u20ac"
assert ("ab" * 0, "ab" * 1, "\xe9\u20ac" * 2, len("\U0001d11e" * 5)) == ("", "ab", "\xe9\u20ac\xe9\u20ac", 5)
try:
    ",".join(["a", 1])
except TypeError as e:
    assert str(e) == "sequence item 1: expected str instance, int found", e
else:
    raise AssertionError("no TypeError")
for p in parts:
    for n in (1, 2, 3, 7, 1000):
        assert p * n == ref(cps(p) * n) and hash(p * n) == hash(ref(cps(p) * n)), (p, n)
assert checked == 1295, checked
print("str_join_kinds: ok")
