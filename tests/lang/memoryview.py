# memoryview: indexing, slicing, assignment, casts, N-d tolist, release and the context manager.
b = b"abcdef"
m = memoryview(b)
print(len(m), m[0], m[-1], m[1:3].tobytes(), m.tolist(), m.readonly, m.format, m.itemsize, m.shape, m.strides, m.nbytes, m.ndim)
print(m.obj is b, m[::2].tobytes(), m[::-1].tobytes(), bytes(m[1:4]), m == b, m == b"abcdeg", hash(m) == hash(b))
ba = bytearray(b"hello")
mb = memoryview(ba)
mb[0] = ord("j")
mb[1:3] = b"EL"
print(ba, mb.readonly, list(mb))
try:
    m[0] = 1
except TypeError as e:
    print(e)
try:
    m[10]
except IndexError as e:
    print(e)
try:
    m["x"]
except TypeError as e:
    print(e)
try:
    mb[0] = 300
except ValueError as e:
    print(e)
with memoryview(b"xyz") as q:
    print(q.tobytes())
print(repr(q).startswith("<released memory"))
try:
    q.tobytes()
except ValueError as e:
    print(e)
c = memoryview(b"\x01\x00\x02\x00\x03\x00\x04\x00").cast("H")
print(c.tolist(), c.format, c.itemsize, len(c))
c2 = memoryview(b"\x01\x00\x02\x00\x03\x00\x04\x00").cast("B", shape=[2, 4])
print(c2.tolist(), c2.shape, c2.strides, c2[1, 2])
try:
    c2[1]
except NotImplementedError as e:
    print(e)
print(c.hex(), m.toreadonly().readonly)
try:
    memoryview(5)
except TypeError as e:
    print(e)
try:
    mb.release(); mb[0]
except ValueError as e:
    print(e)
x = memoryview(b"ab")
y = memoryview(x)
x.release()
print(y.tobytes())
print(repr(memoryview(b"")).startswith("<memory at 0x"))
print("memoryview: ok")
