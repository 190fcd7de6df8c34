"""Python-level checks of capsules made by ext-tests/modules/capsule.c."""


def check(m):
    c = m.make("capsule.x")
    assert type(c).__name__ == "PyCapsule", type(c)
    r = repr(c)
    assert r.startswith('<capsule object "capsule.x" at 0x') and r.endswith(">"), r
    r = repr(m.make(None))
    assert r.startswith("<capsule object NULL at 0x"), r
    assert type(m.api) is type(c)
    try:
        m.make(1)
    except TypeError as e:
        assert str(e) == "name must be str or None", e
    else:
        raise AssertionError("make(1) did not raise")
