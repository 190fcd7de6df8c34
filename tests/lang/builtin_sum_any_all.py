# sum(), any(), all(), min() and max() read their iterable lazily, one item at a time, and
# sum() adds as CPython does (machine-word ints, double floats, `+` for everything else;
# the compensated float sums of 3.12+ are in builtin_sum_315.py).
import itertools
import sys

# any()/all() stop at the first deciding item, leaving the rest of the iterator.
it = iter([0, 1, 2, 3])
assert any(it) is True and list(it) == [2, 3]
it = iter([1, 0, 2, 3])
assert all(it) is False and list(it) == [2, 3]
assert any(x > 5 for x in itertools.count())
assert not all(x < 5 for x in itertools.count())
assert any([]) is False and all([]) is True

# sum() stops reading when `+` fails.
it = iter([1, 2, "x", 3, 4])
try:
    sum(it)
except TypeError as e:
    assert "unsupported operand" in str(e), e
else:
    raise AssertionError("no TypeError")
assert list(it) == [3, 4]

# min()/max() stop reading when a comparison fails.
it = iter([1, 2, "x", 3])
try:
    max(it)
except TypeError:
    pass
assert list(it) == [3]
assert min(iter([3, 1, 2])) == 1 and max((x for x in [3, 1, 2]), key=lambda v: -v) == 1
assert max([], default="empty") == "empty"

# Ints: machine-word fast path, its overflow, bools, big starts, int subclasses.
big = sys.maxsize
assert sum([big, big, 1]) == 2 * big + 1
assert sum([-big, -big, -2]) == -2 * big - 2
assert sum([True, True, 3]) == 5 and type(sum([True, False])) is int
assert sum([1, 2], 10 ** 30) == 10 ** 30 + 3


class MyInt(int):
    def __add__(self, other):
        return "added"

    __radd__ = __add__


assert sum([1, MyInt(2)]) == "added"
assert sum([], MyInt(7)) == 7 and type(sum([], MyInt(7))) is MyInt

# Floats mixed with ints (exact in any summation order).
assert sum([0.5, 10 ** 20, 0.25]) == 1e20 + 0.75
assert sum([1e308, 1e308]) == float("inf")
try:
    sum([0.5, 10 ** 400])
except OverflowError:
    pass
else:
    raise AssertionError("no OverflowError")

# Other types add with +, and start must not be a string or bytes.
assert sum([[1], [2, 3]], []) == [1, 2, 3]
assert sum([(1,), (2,)], ()) == (1, 2)
for start, message in [("", "strings [use ''.join(seq) instead]"), (b"", "bytes [use b''.join(seq) instead]"),
                       (bytearray(), "bytearray [use b''.join(seq) instead]")]:
    try:
        sum([], start)
    except TypeError as e:
        assert str(e) == "sum() can't sum " + message, e
    else:
        raise AssertionError("no TypeError")
assert sum(x * x for x in range(5)) == 30
assert sum([1, 2], start=10) == 13 and sum(iter([0.5]), start=1) == 1.5

# Bad calls, with Argument Clinic's messages (3.15's for an unknown keyword differs from
# 3.11's, so only its type is checked).
for call, message in [("sum()", "sum() takes at least 1 positional argument (0 given)"),
                      ("sum([1], 2, 3)", "sum() takes at most 2 arguments (3 given)"),
                      ("sum([1], 2, start=3)", "sum() takes at most 2 arguments (3 given)"),
                      ("sum(iterable=[1])", "sum() takes at least 1 positional argument (0 given)"),
                      ("sum([1], foo=1)", None)]:
    try:
        eval(call)
    except TypeError as e:
        assert message is None or str(e) == message, (call, e)
    else:
        raise AssertionError(call)
print("builtin_sum_any_all: ok")
