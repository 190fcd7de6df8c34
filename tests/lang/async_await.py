# Coroutines and the async parts of the language: `async def`, `await` (on coroutines and on
# objects with `__await__`), `async with`, `async for`, async generators (asend, athrow,
# aclose, __anext__), async comprehensions; CPython's error messages (3.11's and 3.15's where
# they differ). There is no asyncio: coroutines are driven by hand and by a tiny scheduler.


def run(coro):
    """Drives `coro` to completion, ignoring what it yields; returns its result."""
    try:
        while True:
            coro.send(None)
    except StopIteration as e:
        return e.value


def error(f, *args):
    """The (type name, message) of what `f(*args)` raises."""
    try:
        f(*args)
    except BaseException as e:
        return type(e).__name__, str(e)
    raise AssertionError("no exception")


def run_error(coro):
    return error(run, coro)


class Suspend:
    """Awaiting it suspends the coroutine once, handing `value` to the driver."""

    def __init__(self, value=None):
        self.value = value

    def __await__(self):
        sent = yield self.value
        return sent


# ---- async def, await, coroutine objects ------------------------------------------------------

async def add(a, b):
    return a + b


async def chain():
    x = await add(1, 2)
    y = await add(x, 10)
    return y


c = add(1, 2)
assert type(c).__name__ == "coroutine"
assert repr(c).startswith("<coroutine object add at 0x")
assert c.__name__ == "add" and c.__qualname__ == "add"
assert c.cr_code is add.__code__
assert c.cr_running is False and c.cr_await is None
assert run(c) == 3
assert run(chain()) == 13
assert error(c.send, None) == ("RuntimeError", "cannot reuse already awaited coroutine")
assert error(c.throw, ValueError) == ("RuntimeError", "cannot reuse already awaited coroutine")
assert c.close() is None
assert error(iter, add(1, 2)) == ("TypeError", "'coroutine' object is not iterable")
assert error(add(1, 2).send, 5) == ("TypeError", "can't send non-None value to a just-started coroutine")


async def suspends():
    a = await Suspend("first")
    b = await Suspend("second")
    return a, b


c = suspends()
assert c.send(None) == "first"
assert c.cr_await is not None
assert c.send("A") == "second"
try:
    c.send("B")
except StopIteration as e:
    assert e.value == ("A", "B")
else:
    raise AssertionError


# __await__ and the coroutine_wrapper.
c = add(2, 3)
w = c.__await__()
assert type(w).__name__ == "coroutine_wrapper"
assert iter(w) is w
try:
    next(w)
except StopIteration as e:
    assert e.value == 5
c = suspends()
w = c.__await__()
assert w.send(None) == "first"
assert w.send(1) == "second"
try:
    w.send(2)
except StopIteration as e:
    assert e.value == (1, 2)


# An awaitable class whose __await__ is a generator, and one that delegates to a coroutine.
class Future:
    def __init__(self):
        self.result = None
        self.done = False

    def __await__(self):
        while not self.done:
            yield self
        return self.result


class Delegating:
    def __await__(self):
        return (yield from add(20, 22).__await__())


async def uses_future(fut):
    v = await fut
    w = await Delegating()
    return v, w


fut = Future()
c = uses_future(fut)
assert c.send(None) is fut
assert c.send(None) is fut
fut.done, fut.result = True, "r"
try:
    c.send(None)
except StopIteration as e:
    assert e.value == ("r", 42)


# throw() and close() reach the innermost await.
async def catcher():
    try:
        await Suspend(1)
    except KeyError as e:
        return "caught " + str(e.args[0])


c = catcher()
c.send(None)
try:
    c.throw(KeyError("k"))
except StopIteration as e:
    assert e.value == "caught k"

log = []


async def closer():
    try:
        await Suspend()
    finally:
        log.append("finally")


c = closer()
c.send(None)
c.close()
assert log == ["finally"]


async def ignores_exit():
    try:
        await Suspend()
    except GeneratorExit:
        pass
    await Suspend()


c = ignores_exit()
c.send(None)
assert error(c.close) == ("RuntimeError", "coroutine ignored GeneratorExit")


async def raises_stop():
    raise StopIteration


assert run_error(raises_stop()) == ("RuntimeError", "coroutine raised StopIteration")


# A coroutine can't be awaited twice, nor while it is awaited.
async def await_twice():
    c = add(1, 1)
    await c
    await c


assert run_error(await_twice()) == ("RuntimeError", "cannot reuse already awaited coroutine")

shared = suspends()


async def second_awaiter():
    return await shared


async def first_awaiter():
    return await shared


c1 = first_awaiter()
assert c1.send(None) == "first"
assert run_error(second_awaiter()) == ("RuntimeError", "coroutine is being awaited already")


async def running_check():
    return me.cr_running


me = running_check()
assert run(me) is True


async def sends_to_itself():
    return error(myself.send, None)


myself = sends_to_itself()
assert run(myself) == ("ValueError", "coroutine already executing")


# await's errors.
class NoAwait:
    pass


class BadAwait:
    def __await__(self):
        return 5


class CoroAwait:
    def __await__(self):
        return add(1, 2)


async def await_it(x):
    return await x


def gen():
    yield 1


assert run_error(await_it(NoAwait())) in [
    ("TypeError", "object NoAwait can't be used in 'await' expression"),  # 3.11
    ("TypeError", "'NoAwait' object can't be awaited"),  # 3.14+
]
assert run_error(await_it(gen())) in [
    ("TypeError", "object generator can't be used in 'await' expression"),
    ("TypeError", "'generator' object can't be awaited"),
]
assert run_error(await_it(BadAwait())) in [
    ("TypeError", "__await__() returned non-iterator of type 'int'"),
    ("TypeError", "BadAwait.__await__() must return an iterator, not int"),
]
assert run_error(await_it(CoroAwait())) in [
    ("TypeError", "__await__() returned a coroutine"),
    ("TypeError", "CoroAwait.__await__() must return an iterator, not coroutine"),
]


def yield_from_coro():
    yield from add(1, 2)


assert error(next, yield_from_coro()) == ("TypeError", "cannot 'yield from' a coroutine object in a non-coroutine generator")


# A coroutine suspended in an except block keeps its handled exception to itself.
import sys


async def in_except():
    try:
        raise KeyError("inner")
    except KeyError:
        await Suspend()
        assert isinstance(sys.exception(), KeyError)
        try:
            raise ValueError("again")
        except ValueError as e:
            return type(e.__context__).__name__


c = in_except()
c.send(None)
assert sys.exception() is None
try:
    raise IndexError
except IndexError as e:
    assert e.__context__ is None
    try:
        c.send(None)
    except StopIteration as stop:
        assert stop.value == "KeyError"
    assert sys.exception() is e


# ---- a tiny round-robin scheduler --------------------------------------------------------------

def schedule(*coros):
    ready = list(coros)
    results = {}
    while ready:
        c = ready.pop(0)
        try:
            c.send(None)
        except StopIteration as e:
            results[c.__name__] = e.value
        else:
            ready.append(c)
    return results


trace = []


async def worker(name, n):
    total = 0
    for i in range(n):
        trace.append((name, i))
        await Suspend()
        total += i
    return total


async def alpha():
    return await worker("a", 3)


async def beta():
    return await worker("b", 2)


assert schedule(alpha(), beta()) == {"alpha": 3, "beta": 1}
assert trace == [("a", 0), ("b", 0), ("a", 1), ("b", 1), ("a", 2)]


# ---- async with ----------------------------------------------------------------------------------

class ACM:
    def __init__(self, log, suppress=False):
        self.log = log
        self.suppress = suppress

    async def __aenter__(self):
        self.log.append("enter")
        await Suspend()
        return self

    async def __aexit__(self, typ, val, tb):
        self.log.append(("exit", typ.__name__ if typ else None, str(val) if val else None))
        await Suspend()
        return self.suppress


async def with_body(log):
    async with ACM(log) as m:
        assert isinstance(m, ACM)
        log.append("body")
    return "done"


log = []
assert run(with_body(log)) == "done"
assert log == ["enter", "body", ("exit", None, None)]


async def with_raise(log, suppress):
    async with ACM(log, suppress):
        raise ValueError("v")
    return "after"


log = []
assert run(with_raise(log, True)) == "after"
assert log == ["enter", ("exit", "ValueError", "v")]
log = []
assert run_error(with_raise(log, False)) == ("ValueError", "v")


async def with_return(log):
    for i in range(3):
        async with ACM(log):
            if i == 0:
                continue
            if i == 1:
                break
    async with ACM(log), ACM(log) as second:
        return second.__class__.__name__


log = []
assert run(with_return(log)) == "ACM"
assert log.count("enter") == 4 and log.count(("exit", None, None)) == 4


class NotACM:
    pass


class SyncCM:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        pass


class OnlyAEnter:
    async def __aenter__(self):
        pass


class BadAEnter:
    def __aenter__(self):
        return 1

    def __aexit__(self, *a):
        return 2


class BadAExit:
    async def __aenter__(self):
        pass

    def __aexit__(self, *a):
        return 2


async def use(m):
    async with m:
        pass


assert run_error(use(NotACM())) in [
    ("TypeError", "'NotACM' object does not support the asynchronous context manager protocol"),
    ("TypeError", "'NotACM' object does not support the asynchronous context manager protocol (missed __aexit__ method)"),
]
assert run_error(use(SyncCM())) in [
    ("TypeError", "'SyncCM' object does not support the asynchronous context manager protocol"),
    ("TypeError", "'SyncCM' object does not support the asynchronous context manager protocol (missed __aexit__ method)"
     " but it supports the context manager protocol. Did you mean to use 'with'?"),
]
assert run_error(use(OnlyAEnter())) == (
    "TypeError", "'OnlyAEnter' object does not support the asynchronous context manager protocol (missed __aexit__ method)")
assert run_error(use(BadAEnter())) == (
    "TypeError", "'async with' received an object from __aenter__ that does not implement __await__: int")
assert run_error(use(BadAExit())) == (
    "TypeError", "'async with' received an object from __aexit__ that does not implement __await__: int")


# ---- async for -----------------------------------------------------------------------------------

class ARange:
    def __init__(self, n):
        self.i, self.n = 0, n

    def __aiter__(self):
        return self

    async def __anext__(self):
        await Suspend()
        if self.i >= self.n:
            raise StopAsyncIteration
        self.i += 1
        return self.i - 1


async def sum_async(n):
    total = 0
    async for x in ARange(n):
        total += x
    else:
        total += 1000
    return total


assert run(sum_async(4)) == 1006


async def for_break():
    seen = []
    async for x in ARange(10):
        if x == 1:
            continue
        if x == 3:
            break
        seen.append(x)
    else:
        seen.append("else")
    return seen


assert run(for_break()) == [0, 2]


async def for_return():
    async for x in ARange(10):
        if x == 2:
            return x


assert run(for_return()) == 2


async def for_raise():
    async for x in ARange(10):
        raise KeyError(x)


assert run_error(for_raise()) == ("KeyError", "0")


class AnextRaises:
    def __aiter__(self):
        return self

    async def __anext__(self):
        raise ValueError("from anext")


async def for_over(x):
    async for _ in x:
        pass


assert run_error(for_over(AnextRaises())) == ("ValueError", "from anext")


class AiterInt:
    def __aiter__(self):
        return 1


class AnextInt:
    def __aiter__(self):
        return self

    def __anext__(self):
        return 1


assert run_error(for_over([1, 2])) == ("TypeError", "'async for' requires an object with __aiter__ method, got list")
assert run_error(for_over(AiterInt())) == (
    "TypeError", "'async for' received an object from __aiter__ that does not implement __anext__: int")
assert run_error(for_over(AnextInt())) == ("TypeError", "'async for' received an invalid object from __anext__: int")


# ---- async generators ----------------------------------------------------------------------------

async def agen(n):
    for i in range(n):
        await Suspend("tick")
        yield i


async def collect(ait):
    out = []
    async for x in ait:
        out.append(x)
    return out


a = agen(3)
assert type(a).__name__ == "async_generator"
assert repr(a).startswith("<async_generator object agen at 0x")
assert a.__name__ == "agen" and a.ag_code is agen.__code__
assert a.ag_running is False and a.ag_await is None
assert a.__aiter__() is a
assert run(collect(a)) == [0, 1, 2]
assert run(collect(agen(0))) == []

# __anext__ returns an awaitable: its pass-through yields, then StopIteration(value).
a = agen(2)
step = a.__anext__()
assert type(step).__name__ == "async_generator_asend"
assert step.send(None) == "tick"
try:
    step.send(None)
except StopIteration as e:
    assert e.value == 0
else:
    raise AssertionError
assert error(step.send, None) == ("RuntimeError", "cannot reuse already awaited __anext__()/asend()")
assert run(a.__anext__()) == 1
assert run_error(a.__anext__()) == ("StopAsyncIteration", "")
assert run_error(a.__anext__()) == ("StopAsyncIteration", "")


# asend passes values in.
async def echo():
    received = []
    try:
        while True:
            v = yield len(received)
            received.append(v)
    finally:
        log.append(("echo", received))


log = []
e = echo()
assert run(e.asend(None)) == 0
assert run(e.asend("x")) == 1
assert run(e.asend("y")) == 2
assert error(run, echo().asend("z")) == ("TypeError", "can't send non-None value to a just-started async generator")

# aclose runs the finally block; a closed generator stops.
assert run(e.aclose()) is None
assert log == [("echo", ["x", "y"])]
assert run_error(e.__anext__()) == ("StopAsyncIteration", "")
assert run(e.aclose()) is None
closing = e.aclose()
run(closing)
assert error(closing.send, None) == ("RuntimeError", "cannot reuse already awaited aclose()/athrow()")


# athrow delivers an exception at the yield.
async def handles():
    while True:
        try:
            yield "ready"
        except ValueError as e:
            yield "handled " + str(e)


h = handles()
assert run(h.__anext__()) == "ready"
assert run(h.athrow(ValueError("v"))) == "handled v"
assert run(h.__anext__()) == "ready"
assert run_error(h.athrow(KeyError("k"))) == ("KeyError", "'k'")
assert run_error(h.__anext__()) == ("StopAsyncIteration", "")


async def ignores_close():
    try:
        yield 1
    except GeneratorExit:
        yield 2


ic = ignores_close()
assert run(ic.__anext__()) == 1
assert run_error(ic.aclose()) == ("RuntimeError", "async generator ignored GeneratorExit")


async def agen_stop():
    yield 1
    raise StopAsyncIteration


s = agen_stop()
assert run(s.__anext__()) == 1
assert run_error(s.__anext__()) == ("RuntimeError", "async generator raised StopAsyncIteration")


async def agen_stop_iter():
    raise StopIteration
    yield


assert run_error(agen_stop_iter().__anext__()) == ("RuntimeError", "async generator raised StopIteration")


# An async generator delegating with await and async for.
async def doubled(ait):
    async for x in ait:
        yield await add(x, x)


assert run(collect(doubled(agen(3)))) == [0, 2, 4]


# Scheduling two async generators' consumers together.
async def consumer_a():
    return await collect(agen(2))


async def consumer_b():
    return await collect(doubled(ARange(3)))


assert schedule(consumer_a(), consumer_b()) == {"consumer_a": [0, 1], "consumer_b": [0, 2, 4]}


# aiter() and anext().
async def use_anext():
    g = agen(2)
    assert aiter(g) is g
    first = await anext(g)
    rest = [await anext(g, "default") for _ in range(3)]
    try:
        await anext(g)
    except StopAsyncIteration:
        pass
    else:
        raise AssertionError
    r = ARange(1)
    return first, rest, await anext(r, None), await anext(r, None)


assert run(use_anext()) == (0, [1, "default", "default"], 0, None)
assert error(aiter, []) == ("TypeError", "'list' object is not an async iterable")
assert error(anext, []) == ("TypeError", "'list' object is not an async iterator")
assert error(aiter, AiterInt()) in [
    ("TypeError", "aiter() returned not an async iterator of type 'int'"),
    ("TypeError", "AiterInt.__aiter__() must return an async iterator, not int"),
]


# ---- async comprehensions --------------------------------------------------------------------------

async def comprehensions():
    lst = [x async for x in ARange(4)]
    st = {x % 2 async for x in ARange(4)}
    dct = {x: x * x async for x in ARange(3) if x != 1}
    awaited = [await add(x, 1) for x in range(3)]
    nested = [(x, y) async for x in ARange(2) for y in range(2)]
    inner = [[y async for y in ARange(x)] for x in range(3)]
    genexp = (x * 10 async for x in agen(3))
    from_genexp = [v async for v in genexp]
    gen_await = [v async for v in (await add(x, 0) for x in range(2))]
    return lst, st, dct, awaited, nested, inner, from_genexp, gen_await


assert run(comprehensions()) == (
    [0, 1, 2, 3],
    {0, 1},
    {0: 0, 2: 4},
    [1, 2, 3],
    [(0, 0), (0, 1), (1, 0), (1, 1)],
    [[], [0], [0, 1]],
    [0, 10, 20],
    [0, 1],
)


async def genexp_type():
    g = (x async for x in ARange(1))
    return type(g).__name__


assert run(genexp_type()) == "async_generator"


# ---- compile-time errors ------------------------------------------------------------------------

def syntax_error(src):
    try:
        exec(src, {})
    except SyntaxError as e:
        return e.msg
    raise AssertionError("no SyntaxError for " + src)


assert syntax_error("await x") == "'await' outside function"
assert syntax_error("def f():\n    await x") == "'await' outside async function"
assert syntax_error("def f():\n    async with x: pass") == "'async with' outside async function"
assert syntax_error("def f():\n    async for x in y: pass") == "'async for' outside async function"
assert syntax_error("async def f():\n    yield 1\n    return 2") == "'return' with value in async generator"
assert syntax_error("async def f():\n    yield from x") == "'yield from' inside async function"
assert syntax_error("def f():\n    [x async for x in y]") == "asynchronous comprehension outside of an asynchronous function"

print("async_await: ok")
