# requires: 3.15
# binascii's 3.15 base85 codec (pad, wrapcol, Z85 alphabet, ignorechars, canonical, errors)
# and Lib/base64.py's b85/z85 functions built on it.
import base64
import binascii


def err(f):
    try:
        return repr(f())
    except Exception as e:
        return "%s: %s" % (type(e).__name__, e)


datas = [b"", b"a", b"ab", b"abc", b"abcd", b"abcde", b"\0\0\0\0", b"\0\0\0\0\0", b"    ", b"\xff\xff\xff\xff", bytes(range(30))]
for d in datas:
    for o in [{}, {"pad": True}, {"wrapcol": 7}, {"alphabet": binascii.Z85_ALPHABET}]:
        print("b85", d[:6], o, err(lambda: binascii.b2a_base85(d, **o)))
enc = [b"", b"VE", b"VPR", b"VPRo", b"VPRom", b"VPRomVE", b"00000", b"|NsC0", b"|NsC1", b"{{{{{", b"V E", b"VPRo~",
       b"VP\nRom", b"V", b"VPRomV", b"VPRom\x00", "VPRom"]
for d in enc:
    for o in [{}, {"ignorechars": b" \n"}, {"canonical": True}, {"alphabet": binascii.Z85_ALPHABET}]:
        print("a2b85", d, o, err(lambda: binascii.a2b_base85(d, **o)))
print(binascii.BASE85_ALPHABET, binascii.Z85_ALPHABET, err(lambda: binascii.b2a_base85(b"x", alphabet=b"ab")))
print(base64.b85encode(b"hello world"), base64.b85decode(b"Xk~0{Zy<MXa%^M"), base64.b85encode(b"hi", pad=True))
print(base64.z85encode(b"\x86\x4f\xd2\x6f\xb5\x59\xf7\x5b"), base64.z85decode(b"HelloWorld"))
print(err(lambda: base64.b85decode(b"|NsC1")), base64.b85encode(b"x" * 9, wrapcol=5))
print("binascii_base85_315: ok")
