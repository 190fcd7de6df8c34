# memoryview: indexing, slicing, assignment, casts, N-d tolist, release and the context manager.
b = b"abcdef"
m = memoryview(b)
assert (len(m), m[0], m[-1], m[1:3].tobytes(), m.tolist()) == (6, 97, 102, b"bc", [97, 98, 99, 100, 101, 102])
assert (m.readonly, m.format, m.itemsize, m.shape, m.strides, m.nbytes, m.ndim) == (True, "B", 1, (6,), (1,), 6, 1)
assert m.obj is b and m[::2].tobytes() == b"ace" and m[::-1].tobytes() == b"fedcba" and bytes(m[1:4]) == b"bcd"
assert m == b and m != b"abcdeg" and hash(m) == hash(b)
assert m.c_contiguous and m.f_contiguous and m.contiguous and not m[::2].c_contiguous
ba = bytearray(b"hello")
mb = memoryview(ba)
mb[0] = ord("j")
mb[1:3] = b"EL"
assert ba == bytearray(b"jELlo") and mb.readonly is False and list(mb) == [106, 69, 76, 108, 111]


def raises(exc, msg, f):
    try:
        f()
    except exc as e:
        assert str(e) == msg, (str(e), msg)
    else:
        raise AssertionError(f"no {exc.__name__}: {msg}")


def assign(view, key, value):
    view[key] = value


raises(TypeError, "cannot modify read-only memory", lambda: assign(m, 0, 1))
raises(IndexError, "index out of bounds on dimension 1", lambda: m[10])
raises(TypeError, "memoryview: invalid slice key", lambda: m["x"])
raises(ValueError, "memoryview: invalid value for format 'B'", lambda: assign(mb, 0, 300))
raises(ValueError, "memoryview assignment: lvalue and rvalue have different structures", lambda: assign(mb, slice(0, 2), b"xyz"))
with memoryview(b"xyz") as q:
    assert q.tobytes() == b"xyz"
assert repr(q).startswith("<released memory at 0x")
raises(ValueError, "operation forbidden on released memoryview object", q.tobytes)
c = memoryview(b"\x01\x00\x02\x00\x03\x00\x04\x00").cast("H")
assert (c.tolist(), c.format, c.itemsize, len(c)) == ([1, 2, 3, 4], "H", 2, 4)
c2 = memoryview(b"\x01\x00\x02\x00\x03\x00\x04\x00").cast("B", shape=[2, 4])
assert c2.tolist() == [[1, 0, 2, 0], [3, 0, 4, 0]] and c2.shape == (2, 4) and c2.strides == (4, 1) and c2[1, 2] == 4
raises(NotImplementedError, "multi-dimensional sub-views are not implemented", lambda: c2[1])
raises(TypeError, "memoryview: cannot cast between two non-byte formats", lambda: c.cast("I"))
assert c.hex() == "0100020003000400" and m.toreadonly().readonly
raises(TypeError, "memoryview: a bytes-like object is required, not 'int'", lambda: memoryview(5))
mb.release()
raises(ValueError, "operation forbidden on released memoryview object", lambda: mb[0])
x = memoryview(b"ab")
y = memoryview(x)
x.release()
assert y.tobytes() == b"ab", "a view keeps the shared buffer alive"
assert repr(memoryview(b"")).startswith("<memory at 0x")
assert bytes(memoryview(b"abcdef")[::2]) == b"ace"
# A memoryview exporting its buffer cannot be released.
base = memoryview(bytearray(b"12"))
inner = memoryview(base)
inner.release()
base.release()
print("memoryview: ok")
