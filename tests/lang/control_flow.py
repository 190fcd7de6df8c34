# Control flow: if/elif/else, while/for with break/continue/else, try/except/else/finally,
# raise/re-raise, comprehensions, boolean operators, chained comparisons, unpacking.

def classify(n):
    if n < 0:
        return "negative"
    elif n == 0:
        return "zero"
    elif n < 10:
        return "small"
    else:
        return "large"

assert [classify(n) for n in [-5, 0, 3, 42]] == ["negative", "zero", "small", "large"]

found = None
for i in [1, 3, 5, 6, 7]:
    if i % 2 == 0:
        found = i
        break
else:
    found = "none"
assert found == 6

for i in [1, 3]:
    pass
else:
    found = "else ran"
assert found == "else ran"

total = 0
n = 0
while n < 10:
    n += 1
    if n % 3 == 0:
        continue
    total += n
assert total == 1 + 2 + 4 + 5 + 7 + 8 + 10


def finally_order():
    log = []
    try:
        log.append("try")
        raise ValueError("boom")
    except KeyError:
        log.append("wrong handler")
    except ValueError as e:
        log.append("handled " + str(e))
    else:
        log.append("else")
    finally:
        log.append("finally")
    return log

assert finally_order() == ["try", "handled boom", "finally"]


def return_in_finally():
    log = []
    for i in [1, 2, 3]:
        try:
            if i == 2:
                return log
            log.append(i)
        finally:
            log.append("f")
    return log

assert return_in_finally() == [1, "f", "f"]


def reraise():
    try:
        try:
            {}["missing"]
        except KeyError:
            raise
    except LookupError as e:
        return repr(e)

assert reraise() == "KeyError('missing')"


def chained():
    try:
        try:
            1 / 0
        except ZeroDivisionError as e:
            raise ValueError("outer") from e
    except ValueError as e:
        return type(e.__cause__).__name__, str(e)

assert chained() == ("ZeroDivisionError", "outer")

assert 1 < 2 < 3 and not (1 < 3 < 2)
assert (0 or "" or "x") == "x" and (1 and 0) == 0
a, (b, c), *rest = [1, (2, 3), 4, 5]
assert (a, b, c, rest) == (1, 2, 3, [4, 5])
squares = {x: x * x for x in [1, 2, 3] if x != 2}
assert squares == {1: 1, 3: 9}
assert [x * y for x in [1, 2] for y in [10, 20]] == [10, 20, 20, 40]
assert (walrus := 5) == 5 and walrus == 5

def nested_exits():
    log = []
    for i in [1, 2, 3]:
        for j in [1, 2]:
            try:
                if j == 2:
                    continue
                if i == 2:
                    break
                log.append((i, j))
            finally:
                log.append("f")
        else:
            log.append("inner else")
        if i == 3:
            try:
                raise KeyError(i)
            except KeyError:
                for k in [1]:
                    return log
    return None

assert nested_exits() == [(1, 1), "f", "f", "inner else", "f", (3, 1), "f", "f", "inner else"]
print("control_flow: ok")
