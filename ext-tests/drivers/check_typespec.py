"""Python-level checks of the heap types made by ext-tests/modules/typespec.c."""


def expect(exc, msg, f, *args, prefix=False):
    try:
        f(*args)
    except exc as e:
        assert str(e).startswith(msg) if prefix else str(e) == msg, f"{e!r} != {msg!r}"
    else:
        raise AssertionError(f"no {exc.__name__}: {msg}")


_sub = []


def subclass(P):
    """A Python subclass of Point, made once (classes are freed only by a cyclic GC)."""
    if not _sub:
        class Sub(P):
            def norm1(self):
                return -super().norm1()
        _sub.append(Sub)
    return _sub[0]


def check(m):
    P = m.Point
    assert P.__name__ == "Point" and P.__qualname__ == "Point" and P.__module__ == "typespec", (P.__name__, P.__module__)
    assert P.__doc__ == "A point in the plane.", repr(P.__doc__)
    assert repr(P) == "<class 'typespec.Point'>", repr(P)
    p = P(1, 2)
    assert repr(p) == "Point(1, 2)" and p.x == 1 and p.y == 2 and p.sum == 3
    assert p + P(10, 20) == P(11, 22) and p != P(2, 1)
    assert len(p) == 2 and list(p) == [1, 2] and p[1] == 2
    assert p.norm1() == 3 and p.scaled(3) == P(3, 6)
    assert P.norm1.__doc__ == "The 1-norm." and P.x.__doc__ == "the x coordinate"
    p.x = 5
    p.sum = 10
    assert (p.x, p.y) == (5, 5)
    expect(AttributeError, "readonly attribute", setattr, p, "y", 1)
    expect(TypeError, "'str' object cannot be interpreted as an integer", setattr, p, "x", "no")
    expect(IndexError, "Point index out of range", lambda: p[2])
    expect(AttributeError, "'typespec.Point' object has no attribute 'tag'", getattr, p, "tag")
    p.tag = "t"
    assert p.tag == "t"
    del p.tag
    if m.POINT_HAS_DICT:
        p.extra = [1]
        assert p.__dict__ == {"extra": [1]}
        assert "__dictoffset__" not in P.__dict__
    else:
        # 3.13 added " and no __dict__ for setting new attributes".
        expect(AttributeError, "'typespec.Point' object has no attribute 'extra'", setattr, p, "extra", 1, prefix=True)

    s = subclass(P)(3, 4)
    assert s.norm1() == -7 and repr(s) == "Point(3, 4)" and isinstance(s, P)
    assert s + s == P(6, 8)
    assert type(s + s) is subclass(P)
