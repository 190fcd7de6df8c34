# array.array: construction from every kind of initializer, item conversion and CPython's
# overflow messages, slicing (extended slices too), in-place operators, the buffer protocol
# (memoryview, struct, BufferError while exported), file I/O, pickling and copying.
import array
import copy
import io
import pickle
import struct
import sys


def err(f):
    try:
        r = f()
    except Exception as e:
        return "%s: %s" % (type(e).__name__, e)
    return "ok %r" % (r,)


codes = "bBhHiIlLqQfd"
for tc in codes:
    a = array.array(tc, [1, 2, 3])
    print(tc, a.itemsize, a.typecode, repr(a), a.tolist(), len(a.tobytes()))

# Initializers: list, tuple, bytes, bytearray, array, generator, str (for 'u').
print(array.array("h", (1, -2, 3)))
print(array.array("B", b"\x01\x02\xff"))
print(array.array("B", bytearray(b"az")))
print(array.array("i", array.array("i", [7, 8])))
print(array.array("d", array.array("i", [7, 8])))
print(array.array("l", (x * x for x in range(5))))
print(array.array("u", "héllo").tounicode())
print(array.array("u", "abc"))
print(repr(array.array("f")), repr(array.array("u")))

# Overflow and type errors per type code.
for tc in codes:
    for v in (-2**64, -2**31 - 1, -129, -1, 256, 2**16, 2**32, 2**64, 1.5, "x", None):
        print(tc, v if not isinstance(v, int) else hex(v), err(lambda: array.array(tc, [v])[0]))
print(err(lambda: array.array("i", "abc")))
print(err(lambda: array.array("i", [1], 2)))
print(err(lambda: array.array(typecode="i")))

# Sequence behaviour.
a = array.array("i", range(10))
print(a[0], a[-1], a[2:5], a[::3], a[::-2], a[100:])
a[1] = 100
a[-1] = -100
del a[0]
print(a)
a[2:4] = array.array("i", [7, 7, 7])
print(a)
a[::2] = array.array("i", [0] * len(a[::2]))
print(a)
del a[::3]
print(a)
a[:] = a
print(a, len(a))
print(err(lambda: a[50]), err(lambda: a.__setitem__(50, 1)), err(lambda: a["x"]))
print(err(lambda: a.__setitem__(slice(0, 4, 2), array.array("i", [1]))))
print(err(lambda: a.__setitem__(slice(0, 2), [1, 2])))
print(err(lambda: a.__setitem__(slice(0, 2), array.array("d", [1, 2]))))
b = array.array("i", [1, 2])
print(b + array.array("i", [3]), b * 3, 2 * b, err(lambda: b + [1]), err(lambda: b + array.array("d")))
b += array.array("i", [9])
b *= 2
print(b, err(lambda: b.__iadd__([1])))
print(3 in b, 5 in b, b.count(9), b.index(9), b.index(9, 3), err(lambda: b.index(9, 3, 5)), err(lambda: b.index(42)))
b.append(4)
b.insert(0, -1)
b.insert(-1, 55)
b.insert(100, 66)
print(b, b.pop(), b.pop(0), b.pop(-2), b)
b.remove(9)
print(b, err(lambda: b.remove(1000)), err(lambda: array.array("b").pop()), err(lambda: b.pop(99)))
b.reverse()
print(b, list(b), list(reversed(b)), sorted(b))
b.extend([5, 6])
b.extend(array.array("i", [7]))
print(b, err(lambda: b.extend(array.array("h", [1]))), err(lambda: b.extend([1.5])))
b.fromlist([10, 11])
print(b, err(lambda: b.fromlist((1,))), err(lambda: b.fromlist([1, "x"])), b)

# Comparison.
x, y = array.array("i", [1, 2, 3]), array.array("i", [1, 2, 4])
print(x < y, x <= y, x == y, x != y, x > y, x >= y, x == array.array("d", [1.0, 2.0, 3.0]))
print(array.array("i", [1, 2]) < array.array("i", [1, 2, 0]), array.array("d", [float("nan")]) == array.array("d", [float("nan")]))
print(err(lambda: x < 3), x == [1, 2, 3], err(lambda: hash(x)))

# Bytes, byte order, unicode.
h = array.array("H", [1, 0x0102, 0xFFFF])
print(h.tobytes().hex())
h.byteswap()
print(h, h.tobytes().hex())
d = array.array("d", [1.5, -2.25])
d.byteswap()
d.byteswap()
print(d)
e = array.array("i")
e.frombytes(struct.pack("=3i", 1, -2, 3))
print(e, err(lambda: e.frombytes(b"abc")), err(lambda: e.frombytes("abc")))
u = array.array("u")
u.fromunicode("xyz")
print(u, u.tounicode(), err(lambda: u.fromunicode(1)))
f = array.array("f", [0.1, 1e40, -0.0])
print(f, f[0] == 0.1, f[0] == struct.unpack("f", struct.pack("f", 0.1))[0])

# Buffer protocol.
m = memoryview(a)
print(m.format, m.itemsize, m.nbytes == len(a) * a.itemsize, m.tolist() == a.tolist(), m.readonly)
m[0] = 12345
print(a[0], err(lambda: a.append(1)), err(lambda: a.pop()), err(lambda: a.extend([1])))
a[1] = 5
print(a[:3])
m.release()
a.append(1)
print(len(a), bytes(array.array("b", [1, 2, 3])), bytearray(array.array("B", [65, 66])))
print(struct.unpack_from("2i", array.array("i", [4, 5])))
print(memoryview(array.array("d", [1.0, 2.0])).cast("B").tolist()[:8])
print(memoryview(array.array("Q", [2**64 - 1]))[0])

# Files.
bio = io.BytesIO()
arr = array.array("i", range(5))
arr.tofile(bio)
bio.seek(0)
r = array.array("i")
r.fromfile(bio, 3)
# (The negative-count message changed in 3.13: only its type is compared.)
print(r, err(lambda: r.fromfile(bio, 5)), r, err(lambda: r.fromfile(bio, -1)).split(':')[0])

# Pickling and copying, plain and subclassed.
class MyArray(array.array):
    pass


for proto in range(pickle.HIGHEST_PROTOCOL + 1):
    for orig in (array.array("i", [1, -2]), array.array("d", [0.5]), array.array("u", "hi"), array.array("B")):
        back = pickle.loads(pickle.dumps(orig, proto))
        print(proto, back == orig, back.typecode, type(back).__name__)
s = MyArray("l", [1, 2])
s.extra = 7
back = pickle.loads(pickle.dumps(s, 4))
print(type(back).__name__, back, back.extra, repr(s))
print(array.array("i", [1]).__reduce_ex__(2))
print(array.array("i", [1, 2]).__reduce_ex__(3)[1])
recon = array._array_reconstructor
print(recon(array.array, "i", 9, b"\x00\x00\x00\x01\x00\x00\x00\x02"))
print(recon(array.array, "q", 8, b"\xff\xff\xff\xff"), recon(array.array, "d", 17, b"?\xf8\x00\x00\x00\x00\x00\x00"))
print(err(lambda: recon(array.array, "i", 99, b"")), err(lambda: recon(list, "i", 8, b"")))
print(err(lambda: recon(array.array, "z", 8, b"")), err(lambda: recon(array.array, "i", 8, "x")))
c = array.array("i", [1, 2])
print(copy.copy(c), copy.deepcopy(c), copy.copy(c) is c, array.ArrayType is array.array)
it = iter(array.array("h", [3, 4]))
print(next(it), list(it), list(it))
print(isinstance(array.array("i"), array.array), array.array.__module__, type(iter(c)).__name__)
print("array_ops: ok")
