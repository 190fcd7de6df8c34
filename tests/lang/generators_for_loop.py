# Generators driven by `for` loops (which Pyrite runs in the caller's own evaluation loop, as
# CPython 3.12+ does): what the generator and its caller see while it runs, and how it ends —
# by returning, by raising, by a StopIteration escaping it, or by being left suspended.
import sys
import traceback


def numbers(n):
    for i in range(n):
        yield i
    return "ignored by for"


assert [x for x in numbers(4)] == [0, 1, 2, 3]
total = 0
for x in numbers(5):
    total += x
assert total == 10

# Nested generators (each for loop resumes the next one down), and deep recursive ones.
def evens(it):
    for x in it:
        if x % 2 == 0:
            yield x


def squares(it):
    for x in it:
        yield x * x


assert list(squares(evens(numbers(10)))) == [0, 4, 16, 36, 64]


def walk(depth):
    if depth == 0:
        yield "leaf"
        return
    for x in walk(depth - 1):
        yield x


assert list(walk(100)) == ["leaf"]

# Each case runs a few times: Pyrite specializes a `for` over a generator after the first
# iterations, and both forms must behave the same.

# While it runs, the generator is "running", its frame's caller is the loop's frame, and the
# generator is not re-enterable.
seen = {}


def introspect():
    g = me[0]
    seen["running"] = g.gi_running
    seen["frame"] = g.gi_frame is None or g.gi_frame.f_code.co_name
    seen["caller"] = sys._getframe(1).f_code.co_name
    try:
        next(g)
    except ValueError as e:
        seen["reenter"] = str(e)
    yield 1


me = [None]


def driver():
    me[0] = g = introspect()
    for _ in g:
        pass
    seen["after"] = (g.gi_running, g.gi_frame)


for _ in range(4):
    seen.clear()
    driver()
    seen["running"] is True, seen
    assert seen["caller"] == "driver", seen
    assert seen["reenter"] == "generator already executing", seen
    assert seen["after"] == (False, None), seen

# Leaving a loop early leaves the generator suspended; it resumes later where it stopped.
g = numbers(10)
for x in g:
    if x == 3:
        break
assert next(g) == 4
assert g.gi_frame is not None and not g.gi_running
for x in g:
    pass
assert x == 9
assert g.gi_frame is None

# An exception raised in the generator reaches the loop, with both frames in the traceback.
def failing():
    yield 1
    raise KeyError("boom")


def consume():
    out = []
    for x in failing():
        out.append(x)
    return out


for _ in range(4):
    try:
        consume()
    except KeyError as e:
        names = [f.name for f in traceback.extract_tb(e.__traceback__)]
        assert names[-2:] == ["consume", "failing"], names
    else:
        raise AssertionError("no KeyError")

# The generator is finished after raising.
g = failing()
try:
    for x in g:
        pass
except KeyError:
    pass
assert g.gi_frame is None and not g.gi_running
assert list(g) == []

# A StopIteration escaping a generator becomes RuntimeError (PEP 479), caused by it.
def leaky():
    yield 1
    raise StopIteration("leak")


def run_leaky():
    for x in leaky():
        pass


for _ in range(4):
    try:
        run_leaky()
    except RuntimeError as e:
        assert str(e) == "generator raised StopIteration"
        assert type(e.__cause__) is StopIteration and str(e.__cause__) == "leak"
    else:
        raise AssertionError("no RuntimeError")

# The loop handles the error itself (an except around the for in the same frame).
def guarded():
    got = []
    try:
        for x in failing():
            got.append(x)
    except KeyError as e:
        got.append(str(e))
    return got


for _ in range(4):
    assert guarded() == [1, "'boom'"]

# The generator sees its own handled exception, and the caller's while it handles none.
def handled():
    yield sys.exception()
    try:
        raise ValueError("inside")
    except ValueError:
        yield sys.exception()
    yield sys.exception()


def run_handled():
    try:
        raise TypeError("outer")
    except TypeError:
        got = []
        for e in handled():
            got.append(type(e).__name__ if e else None)
        return got


for _ in range(4):
    got = run_handled()
    assert got == ["TypeError", "ValueError", "TypeError"], got
    assert sys.exception() is None

# A generator suspended inside an except block keeps its exception across yields, and the
# caller's handled exception is restored at each yield.
def keeps():
    try:
        raise OSError("kept")
    except OSError:
        yield 1
        yield sys.exception()


out = []
for v in keeps():
    out.append(sys.exception())
    out.append(v)
assert out[0] is None and out[2] is None
assert type(out[3]) is OSError

# try/finally in the generator runs when a specialized loop exhausts it (generators.py has
# the first, unspecialized run), and when it is closed after a break.
log = []


def cleanup():
    try:
        yield 1
        yield 2
    finally:
        log.append("finally")


def exhaust_then_close():
    for v in cleanup():
        log.append(v)
    g = cleanup()
    for v in g:
        break
    g.close()


for _ in range(4):
    log.clear()
    exhaust_then_close()
    assert log == [1, 2, "finally", "finally"], log

# send() and throw() on a generator that a for loop started.
def echo():
    got = None
    while True:
        try:
            got = yield got
        except ZeroDivisionError:
            got = "caught"


g = echo()
for v in g:
    break
assert g.send(5) == 5
assert g.throw(ZeroDivisionError) == "caught"
g.close()

# Recursion in generator loops counts against the recursion limit.
def deep(n):
    yield from () if n == 0 else deep_for(n)


def deep_for(n):
    for x in deep(n - 1):
        yield x
    yield n


limit = sys.getrecursionlimit()
try:
    for x in deep(limit + 50):
        pass
except RecursionError:
    pass
else:
    raise AssertionError("no RecursionError")
assert list(deep(50)) == list(range(1, 51))

# The collector sees a suspended generator's frame through the generator; the frame borrows
# its function's globals (not a reference of its own), so collecting must leave them alone.
import gc

GLOBAL_MARK = "mark"


def suspended():
    yield GLOBAL_MARK
    yield GLOBAL_MARK


gens = [suspended() for _ in range(10)]
for g in gens:
    next(g)
cycle = [gens]
cycle.append(cycle)
del cycle
gc.collect()
assert all(next(g) == "mark" for g in gens)
assert globals()["GLOBAL_MARK"] == "mark"

print("generators_for_loop: ok")
