# requires: 3.15
# binascii's Ascii85 codec (3.15: b2a_ascii85/a2b_ascii85) and the base64 functions built on
# it (a85encode/a85decode), with base85 (b85*) alongside: short groups, Adobe framing,
# wrapping, padding, ignored characters, canonical checks and the errors.
import base64
import binascii


def attempt(f, *args, **kwargs):
    try:
        print(" ", repr(f(*args, **kwargs)))
    except Exception as e:
        print(" ", type(e).__name__, e)


data = b"Man is distinguished, not only by his reason"
enc = binascii.b2a_ascii85(data)
print("encoded:", enc)
print("roundtrip:", binascii.a2b_ascii85(enc) == data)

print("encode options:")
for kwargs in [{}, {"pad": True}, {"adobe": True}, {"foldspaces": True}, {"wrapcol": 7},
               {"adobe": True, "wrapcol": 1}, {"adobe": True, "wrapcol": 5}]:
    for b in [b"", b"a", b"\0" * 4, b"\0\0", b"    ", b"     ", b"hello world", bytearray(b"xy")]:
        print(" ", kwargs, bytes(b), binascii.b2a_ascii85(b, **kwargs))

print("decode:")
for d, kwargs in [
    (b"@/", {}), ("@/", {}), (memoryview(b"@/"), {}), (b"z", {}), (b"zz!!", {}),
    (b"<~@/~>", {"adobe": True}), (b"@/~>", {"adobe": True}), (b"<~~>", {"adobe": True}),
    (b"y", {"foldspaces": True}), (b"@:E_W\n@/", {"ignorechars": b"\n"}),
    (b"zy}", {"ignorechars": b"zy}"}), (b"zy}", {"ignorechars": b"zy}", "foldspaces": True}),
    (b"@0", {}), (b"GA(E,", {"canonical": True}), (b"zz", {"canonical": True}),
]:
    print(" ", d if not isinstance(d, memoryview) else "memoryview", kwargs, binascii.a2b_ascii85(d, **kwargs))

print("decode errors:")
for d, kwargs in [
    (b"@", {}), (b"!!!!!!", {}), (b"t", {}), (b"s8W-!u", {}), (b"az", {}),
    (b"ay", {"foldspaces": True}), (b"ay", {}), (b"j\n", {}), (b"a", {"adobe": True}),
    (b"<~", {"adobe": True}), (b"@0", {"canonical": True}), (b"!!!!!", {"canonical": True}),
    ("abc\xe9", {}), (b"@/", {"ignorechars": "x"}),
]:
    print(" ", d, kwargs, end="")
    attempt(binascii.a2b_ascii85, d, **kwargs)

print("argument errors:")
attempt(binascii.b2a_ascii85, "abc")
attempt(binascii.b2a_ascii85, b"a", wrapcol=-1)
attempt(binascii.b2a_ascii85, b"a", wrapcol=1.0)
attempt(binascii.a2b_ascii85, b"", b"")

print("base64.a85:")
print(" ", base64.a85encode(data, wrapcol=20, adobe=True))
print(" ", base64.a85encode(b"    \0\0\0\0 ", foldspaces=True, pad=True))
print(" ", base64.a85decode(base64.a85encode(data, wrapcol=20, adobe=True), adobe=True) == data)
print(" ", base64.a85decode(b"y z", foldspaces=True))
print(" ", base64.a85decode("87cURD]i,\"Ebo80"))
attempt(base64.a85decode, b"abc~>x", adobe=True)
attempt(base64.a85decode, b"@0", canonical=True)

print("base64.b85:")
print(" ", base64.b85encode(data))
print(" ", base64.b85encode(b"ab", pad=True), base64.b85decode(b"VPa"))
print(" ", base64.b85decode(base64.b85encode(data)) == data)
attempt(base64.b85decode, b"|NsC1")
print("binascii_ascii85: ok")
