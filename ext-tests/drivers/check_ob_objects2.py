"""Python-level checks of ext-tests/modules/ob_objects2.c: PyIter_Send on generators and
PyObject_GetAIter on an async iterable."""
import sys


def gen():
    got = yield 1
    got2 = yield ("got", got)
    return ("done", got2)


class AIterable:
    def __aiter__(self):
        return AIterator()


class AIterator:
    def __aiter__(self):
        return self

    async def __anext__(self):
        raise StopAsyncIteration


class BadAIterable:
    def __aiter__(self):
        return 42


def check(m):
    if not hasattr(m, "send"):
        return
    g = gen()
    assert m.send(g, None) == ("next", 1)
    assert m.send(g, "x") == ("next", ("got", "x"))
    # The generator's return value comes back with PYGEN_RETURN, not as StopIteration.
    assert m.send(g, "y") == ("return", ("done", "y"))
    # Exhausted: a return of None.
    assert m.send(g, None) == ("return", None)
    g = gen()
    try:
        m.send(g, 5)
    except TypeError as e:
        assert str(e) == "can't send non-None value to a just-started generator", e
    else:
        raise AssertionError("no TypeError")
    a = AIterable()
    it = m.get_aiter(a)
    assert type(it) is AIterator
    try:
        m.get_aiter(BadAIterable())
    except TypeError as e:
        if sys.version_info >= (3, 15):
            assert str(e) == "check_ob_objects2.BadAIterable.__aiter__() must return an async iterator, not int", e
        else:
            assert str(e) == "aiter() returned not an async iterator of type 'int'", e
    else:
        raise AssertionError("no TypeError")
