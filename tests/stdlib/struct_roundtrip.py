# _struct through Lib/struct.py: known bytes for every code, native alignment vs standard
# sizes, round trips, Struct objects, pack_into/unpack_from/iter_unpack and struct.error.
import struct
from struct import pack, unpack, calcsize, Struct


def err(f, *a):
    try:
        r = f(*a)
    except (struct.error, OverflowError, TypeError) as e:
        print("  ", type(e).__name__, e)
    else:
        print("   no error", r)


print(pack("<i", 1), pack(">i", 1), pack("!h", -2), pack("<q", -1), pack(">Q", 2 ** 64 - 1), pack("<bBhH", -1, 255, -300, 65535))
print(pack("<?c", True, b"z"), pack("<3s", b"abcdef"), pack("<5s", b"ab"), pack("<6p", b"hello world"), pack("<2p", b""))
print(pack("<f", 1.5), pack(">d", -2.25), pack("<e", 1.5), pack("<e", -0.0), pack("<e", 65504.0), pack("<e", 6e-8), pack("<e", 1e-9))
print(pack("<e", float("inf")), unpack("<e", b"\x00\x7c"), unpack("<e", b"\x01\x00"), unpack("<e", b"\xff\x7b"), unpack(">e", b"\x3c\x00"))
print(unpack("<i", b"\x01\x00\x00\x00"), unpack(">I", b"\xff\xff\xff\xfe"), unpack("<hH", b"\xff\xff\xff\xff"), unpack("<?", b"\x02"))
print(unpack("<6p", b"\x05hello"), unpack("<6p", b"\x09hello"), unpack("<3sc", b"abcd"), unpack("<d", pack("<d", 0.1)))
print(calcsize("@ci"), calcsize("=ci"), calcsize("@iq"), calcsize("c0i"), calcsize("@ch"), calcsize("<qd"), calcsize("P"), calcsize("5s2x"), calcsize(""))
print(pack("@bi", 1, 2), pack("=bi", 1, 2), pack("@hq", 1, 2), pack("@n", -5), pack("@N", 5), unpack("@P", pack("@P", 12345)))
print(pack("< i h ", 1, 2), unpack("<4x i", b"\0\0\0\0\1\0\0\0"), pack("<2i3h", 1, 2, 3, 4, 5))
print(pack("<f", 1), pack("<i", True), pack("<?", []), pack("<?", "x"))


class Seven:
    def __index__(self):
        return 7


print(pack("<i", Seven()), pack("<B", Seven()))
values = (1, -2, 3.5, b"xyz", True, 2 ** 40, b"Q")
fmt = "<hi d 3s ? q c"
data = pack(fmt, *values)
print(len(data), calcsize(fmt), data.hex(), unpack(fmt, data) == values)

s = Struct("<ih")
print(s.format, s.size, s.pack(7, 8), s.unpack(b"\x07\x00\x00\x00\x08\x00"), Struct(b">H").format, Struct(b">H").pack(258))
buf = bytearray(12)
s.pack_into(buf, 2, -1, -1)
struct.pack_into(">H", buf, 10, 0xABCD)
print(buf, s.unpack_from(buf, 2), struct.unpack_from(">H", buf, offset=10), struct.unpack_from("<b", buf, -1))
mv = memoryview(bytearray(8))
struct.pack_into("<d", mv, 0, 1.0)
print(bytes(mv))
records = pack("<" + "hh" * 3, 1, 2, 3, 4, 5, 6)
it = struct.iter_unpack("<hh", records)
print(it.__length_hint__(), list(it), list(Struct("<b").iter_unpack(b"\x01\x02\xff")))

for f, v in [("b", 200), ("<B", -1), ("<h", 40000), ("<I", -1), ("<Q", 2 ** 64)]:
    try:
        pack(f, v)
    except struct.error:
        print("   range error", f)  # 3.15 words these as "'b' format requires ..."
err(pack, "i", 1.5)
err(pack, "f", "a")
err(pack, "e", 1e10)
err(pack, "c", b"ab")
err(pack, "s", "a")
err(pack, "ii", 1)
err(pack, "i", 1, 2)
err(pack, "z", 1)
err(pack, "<n", 1)
err(pack, "3", 1)
err(unpack, "i", b"abc")
err(struct.unpack_from, "i", b"abc", 1)
err(struct.unpack_from, "i", b"abcdef", -10)
err(struct.pack_into, "i", bytearray(3), 0, 1)
err(struct.pack_into, "i", bytearray(8), -10, 1)
err(struct.iter_unpack, "i", b"abcde")
err(struct.iter_unpack, "", b"")
err(unpack, "i", "abcd")
print(struct.error.__module__, issubclass(struct.error, Exception), sorted(n for n in dir(struct) if not n.startswith("_")))
print("struct_roundtrip: ok")
