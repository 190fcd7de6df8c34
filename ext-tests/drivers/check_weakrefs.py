"""Python-level checks of weak references made by ext-tests/modules/weakrefs.c."""


class C:
    pass


def check(m):
    c = C()
    calls = []

    def on_dead(ref):
        calls.append(ref)

    r = m.new_ref(c, on_dead)
    assert r() is c and r.__callback__ is on_dead
    plain = m.new_ref(c)
    assert plain is m.new_ref(c) and plain is not r
    assert plain == r and hash(plain) == hash(c)
    p = m.new_proxy(c)
    c.items = [1, 2]
    assert p.items == [1, 2]
    del c
    assert calls == [r], calls
    assert r() is None and plain() is None
    assert plain != r
    try:
        p.items
    except ReferenceError as e:
        assert str(e) == "weakly-referenced object no longer exists", e
    else:
        raise AssertionError("a dead proxy did not raise")
    # A callable proxy calls through.
    def f(x):
        return x + 1
    cp = m.new_proxy(f)
    assert cp(1) == 2
    assert repr(list[int]) == "list[int]" and list[int] == list[int]
    assert dict[str, list[int]].__args__ == (str, list[int])
