"""Python-level checks of the struct sequence type made by ext-tests/modules/structseq.c."""


def check(m):
    Point = m.Point
    assert Point.__name__ == "Point" and Point.__module__ == "structseq", (Point.__name__, Point.__module__)
    assert Point.__doc__ == "A point."
    assert Point.n_sequence_fields == 2 and Point.n_fields == 3 and Point.n_unnamed_fields == 0
    assert Point.__match_args__ == ("x", "y")
    p = Point((1, 2))
    assert isinstance(p, tuple) and p == (1, 2) and len(p) == 2
    assert p.x == 1 and p.y == 2 and p.z is None
    assert repr(p) == "structseq.Point(x=1, y=2)", repr(p)
    q = Point((1, 2, 3))
    assert q.z == 3 and q == (1, 2)
    r = Point([4, 5], {"z": 6})
    assert r.z == 6 and tuple(r) == (4, 5)
    assert p.__reduce__() == (Point, ((1, 2), {"z": None})), p.__reduce__()
    for bad, msg in (((1,), "structseq.Point() takes an at least 2-sequence (1-sequence given)"),
                     ((1, 2, 3, 4), "structseq.Point() takes an at most 3-sequence (4-sequence given)")):
        try:
            Point(bad)
        except TypeError as e:
            assert str(e) == msg, e
        else:
            raise AssertionError("no TypeError")
    try:
        p.x = 5
    except AttributeError:
        pass
    else:
        raise AssertionError("a field was assignable")
