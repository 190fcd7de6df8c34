# Generators (send, return values, finally on exhaustion), generator expressions, and with
# statements (suppression, __exit__ on return/break).

def count(n):
    i = 0
    while i < n:
        got = yield i
        if got:
            i += got
        i += 1
    return "done"

assert [x for x in count(5)] == [0, 1, 2, 3, 4]
g = count(10)
assert (next(g), g.send(3), next(g)) == (0, 4, 5)

log = []
def fin():
    try:
        yield 1
        yield 2
    finally:
        log.append("cleanup")

for v in fin():
    log.append(v)
assert log == [1, 2, "cleanup"]
assert sum(x * x for x in [1, 2, 3]) == 14

def stop():
    yield 1
    return 5

s = stop()
next(s)
try:
    next(s)
except StopIteration as e:
    assert e.args == (5,)
else:
    raise AssertionError("StopIteration expected")

def bad():
    raise StopIteration
    yield

try:
    next(bad())
except RuntimeError as e:
    assert str(e) == "generator raised StopIteration"

g = count(3)
next(g)
g.close()
try:
    next(g)
except StopIteration:
    pass

def thrower():
    try:
        yield 1
    except ValueError as e:
        yield "caught " + str(e)

t = thrower()
next(t)
assert t.throw(ValueError("boom")) == "caught boom"

events = []
class Ctx:
    def __init__(self, suppress):
        self.suppress = suppress
    def __enter__(self):
        events.append("enter")
        return self
    def __exit__(self, t, v, tb):
        events.append(("exit", t.__name__ if t else None))
        return self.suppress

with Ctx(True) as c:
    events.append(type(c).__name__)
    raise ValueError("suppressed")
assert events == ["enter", "Ctx", ("exit", "ValueError")]

def early():
    with Ctx(False):
        return "returned"
events.clear()
assert early() == "returned" and events == ["enter", ("exit", None)]

events.clear()
for i in [1, 2]:
    with Ctx(False):
        if i == 1:
            continue
        break
assert events == ["enter", ("exit", None), "enter", ("exit", None)]

try:
    with Ctx(False):
        raise KeyError("k")
except KeyError:
    pass
else:
    raise AssertionError("KeyError should propagate")
print("generators: ok")
