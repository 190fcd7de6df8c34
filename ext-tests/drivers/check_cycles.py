"""Python-level checks of ext-tests/modules/cycles.c: cycles through extension objects."""
import gc
import weakref


def check(m):
    gc.collect()
    base = m.live()

    # Two nodes referring to each other, nothing else referring to them.
    a = m.node(None)
    b = m.node(a)
    m.set_ref(a, b)
    del a, b
    assert m.live() == base + 2
    found = m.collect()
    assert found >= 2, found
    assert m.live() == base, (m.live(), base)

    # A cycle through a Python object: instance -> node -> instance.
    class Holder:
        pass

    h = Holder()
    h.node = m.node(h)
    w = weakref.ref(h)
    del h
    assert w() is not None
    gc.collect()
    assert w() is None and m.live() == base

    # A node in a list that the node refers to.
    items = []
    items.append(m.node(items))
    del items
    gc.collect()
    assert m.live() == base

    # A node the collector does not track: what it refers to counts as referred to from
    # outside, so the cycle stays until the node is tracked.
    h = Holder()
    u = m.untracked_node(h)
    h.u = u
    w = weakref.ref(h)
    if hasattr(m, "is_tracked"):
        assert not m.is_tracked(u) and m.is_tracked(m.node(None))
    del h, u
    gc.collect()
    assert w() is not None and m.live() == base + 1
    m.track(w().u)
    if hasattr(m, "is_tracked"):
        assert m.is_tracked(w().u)
    gc.collect()
    assert w() is None and m.live() == base

    # A node referring to itself, collected by gc.collect() as well.
    s = m.node(None)
    m.set_ref(s, s)
    assert m.get_ref(s) is s
    del s
    assert gc.collect() >= 1 and m.live() == base

    if hasattr(m, "switch_gc"):
        assert m.switch_gc() == (1, 0, 0) and gc.isenabled()
    # While the collector is disabled PyGC_Collect does nothing; gc.collect() still collects.
    gc.disable()
    try:
        c = m.node(None)
        m.set_ref(c, c)
        del c
        assert m.collect() == 0 and m.live() == base + 1
        assert gc.collect() >= 1 and m.live() == base
    finally:
        gc.enable()
