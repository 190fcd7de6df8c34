# contextlib on Pyrite: generator-based managers (with exceptions thrown into them), ExitStack
# unwinding order and exception suppression, suppress, redirect_stdout/stderr, closing,
# nullcontext, chdir, ContextDecorator, and the async forms driven by a hand-made loop.
import contextlib
import io
import os
import sys
import tempfile

log = []


@contextlib.contextmanager
def tag(name):
    log.append("enter " + name)
    try:
        yield name.upper()
    except KeyError as e:
        log.append("caught %r in %s" % (e.args[0], name))
    finally:
        log.append("exit " + name)


with tag("a") as t:
    log.append("body " + t)
with tag("b"):
    raise KeyError("k")
try:
    with tag("c"):
        raise ValueError("v")
except ValueError as e:
    log.append("outside: " + str(e))
print(log)

log.clear()
with contextlib.ExitStack() as stack:
    for n in "xyz":
        stack.enter_context(tag(n))
    stack.callback(log.append, "callback")
    stack.push(lambda *exc: log.append("push saw %s" % (exc[0].__name__ if exc[0] else None)))
print(log)

log.clear()
with contextlib.ExitStack() as stack:
    stack.push(lambda et, ev, tb: True)
    raise RuntimeError("swallowed")
print("after suppressing ExitStack")

with contextlib.ExitStack() as stack:
    stack.enter_context(tag("kept"))
    moved = stack.pop_all()
print(log)
moved.close()
print(log)

with contextlib.suppress(FileNotFoundError, ZeroDivisionError):
    1 / 0
print("suppressed")
try:
    with contextlib.suppress(KeyError):
        raise IndexError("not suppressed")
except IndexError as e:
    print("escaped:", e)

buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    print("to buffer")
    sys.stdout.write("more\n")
print(repr(buf.getvalue()))
err = io.StringIO()
with contextlib.redirect_stderr(err):
    print("error text", file=sys.stderr)
print(repr(err.getvalue()))


class Resource:
    closed = False

    def close(self):
        self.closed = True


r = Resource()
with contextlib.closing(r) as got:
    print(got is r, r.closed)
print(r.closed)
with contextlib.nullcontext(5) as v:
    print("nullcontext", v)

start = os.getcwd()
with tempfile.TemporaryDirectory() as d:
    with contextlib.chdir(d):
        print("in temp:", os.path.samefile(os.getcwd(), d))
    print("back:", os.getcwd() == start)


class traced(contextlib.ContextDecorator):
    def __enter__(self):
        log.append("deco enter")
        return self

    def __exit__(self, *exc):
        log.append("deco exit")
        return False


@traced()
def decorated(x):
    log.append("call %d" % x)
    return x * 2


log.clear()
print(decorated(21), log)


@contextlib.asynccontextmanager
async def atag(name):
    log.append("aenter " + name)
    try:
        yield name
    finally:
        log.append("aexit " + name)


async def main():
    async with atag("one") as n:
        log.append("abody " + n)
    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(atag("two"))
        stack.callback(log.append, "sync callback")
        stack.push_async_callback(record, "async callback")
    async with contextlib.aclosing(agen()) as g:
        async for v in g:
            log.append("agen %d" % v)
    return "done"


async def record(what):
    log.append(what)


async def agen():
    yield 1
    yield 2


def run(coro):
    try:
        coro.send(None)
    except StopIteration as e:
        return e.value
    raise AssertionError("the coroutine suspended")


log.clear()
print(run(main()), log)
print("contextlib_usage: ok")
