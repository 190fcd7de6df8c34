# Assignments of a tuple display to a tuple/list target of the same length (<= 3 names)
# compile to stack swaps: evaluation order, store order and results must be those of
# packing and unpacking.
order = []


class Rec:
    def __init__(self, name):
        self.name = name

    def __setattr__(self, k, v):
        order.append(("set", object.__getattribute__(self, "name") if k != "name" else "-", k, v))
        object.__setattr__(self, k, v)


def val(tag, v):
    order.append(("eval", tag))
    return v


perm = [10, 20, 30, 40]
perm[0], perm[3] = perm[3], perm[0]
assert perm == [40, 20, 30, 10], perm

a, b = 1, 2
a, b = b, a
assert (a, b) == (2, 1)
x, y, z = 1, 2, 3
x, y, z = z, x, y
assert (x, y, z) == (3, 1, 2)
[p] = (7,)
assert p == 7
[m, n] = n2, m2 = 5, 6       # two targets: not a swap, still unpacks
assert (m, n, n2, m2) == (5, 6, 5, 6)

r = Rec("r")
order.clear()
r.a, r.b, r.c = val("1", 1), val("2", 2), val("3", 3)
assert order == [("eval", "1"), ("eval", "2"), ("eval", "3"),
                 ("set", "r", "a", 1), ("set", "r", "b", 2), ("set", "r", "c", 3)], order

# A store that raises stops the later ones, as unpacking does.
d = {}
try:
    d["k"], undefined_target.attr = 1, 2
except NameError:
    pass
assert d == {"k": 1}


def f(seq, i, j):
    seq[i], seq[j] = seq[j], seq[i]
    return seq


assert f(list("abc"), 0, 2) == ["c", "b", "a"]
# A length mismatch is not optimized: it still raises as unpacking does.
try:
    a, b = 1, 2, 3
except ValueError as e:
    assert str(e).startswith("too many values to unpack (expected 2"), e
else:
    raise AssertionError("no ValueError")
print("swap_assignment: ok")
