# Exceptions that pass through a try/finally or try/except nested inside a `with` block reach
# the context manager's __exit__ with the right stack (the finally body runs, __exit__ sees
# the exception, suppression works), for sync and async managers and nested `with`s.

class CM:
    def __init__(self, name, suppress=False):
        self.name, self.suppress = name, suppress

    def __enter__(self):
        print("enter", self.name)
        return self.name

    def __exit__(self, typ, val, tb):
        print("exit", self.name, typ.__name__ if typ else None, val)
        return self.suppress


def boom():
    raise KeyError("k")


def finally_in_with():
    with CM("a") as a:
        try:
            boom()
        finally:
            print("finally sees", a, len(a))


def except_reraise_in_with():
    with CM("b"):
        try:
            boom()
        except KeyError as e:
            print("caught", repr(e))
            raise ValueError("v") from e


def suppressed(name):
    with CM(name, suppress=True) as n:
        try:
            boom()
        finally:
            print("finally", n)
    return "after " + name


def nested():
    with CM("outer"), CM("inner") as i:
        try:
            try:
                boom()
            finally:
                print("inner finally", i)
        except KeyError:
            print("handled in with")
            raise OSError("o")


for f in (finally_in_with, except_reraise_in_with, nested):
    try:
        f()
    except Exception as e:
        print(f.__name__, "->", type(e).__name__, e)
print(suppressed("s"))


class ACM:
    async def __aenter__(self):
        print("aenter")
        return 7

    async def __aexit__(self, typ, val, tb):
        print("aexit", typ.__name__ if typ else None)
        return typ is KeyError


async def amain():
    async with ACM() as v:
        try:
            boom()
        finally:
            print("async finally", v + 1)
    return "async done"

coro = amain()
try:
    coro.send(None)
except StopIteration as stop:
    print(stop.value)
print("with_nested_handlers: ok")
