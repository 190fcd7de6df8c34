# requires: 3.15
# _struct: 3.15's range messages, float overflow and the complex codes (3.14).
import struct

for fmt, v in [("b", 200), ("B", -1), ("h", 70000), ("H", -1), ("i", 2 ** 31), ("I", -1), ("l", 2 ** 63),
               ("L", -1), ("q", 2 ** 63), ("Q", -1), ("<i", 2 ** 31), ("<I", -1), (">q", 2 ** 63), ("<Q", 2 ** 64),
               ("<b", 200), ("<B", 256), ("<h", 2 ** 15), ("<H", 2 ** 16), ("n", 2 ** 63), ("N", -1),
               ("f", 1e300), ("<f", -1e300), ("e", 65520.0), ("F", 1e300)]:
    try:
        struct.pack(fmt, v)
    except (struct.error, OverflowError) as e:
        print(fmt, type(e).__name__, e)
print(struct.calcsize("F"), struct.calcsize("D"), struct.calcsize("cD"), struct.calcsize("<cD"), struct.calcsize("cF"))
print(struct.pack("<F", 1 + 2j), struct.unpack("<D", struct.pack("<D", 1.5 - 2j)), struct.unpack(">F", struct.pack(">F", 3)))
print(struct.pack("<e", 65519.0), struct.pack("<e", 2.0 ** -25), struct.pack("<e", 2.0 ** -24 * 1.5), struct.pack("<e", 2.0 ** -24 * 2.5))
print(repr(struct.Struct("<ih")), repr(struct.Struct(b"i")))
try:
    struct.pack_into("i", b"abcd", 0, 1)
except TypeError as e:
    print(e)
try:
    struct.Struct(1)
except TypeError as e:
    print(e)
print("struct_errors: ok")
