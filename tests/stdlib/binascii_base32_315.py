# requires: 3.15
# binascii's 3.15 base32 codec (padding rules, alphabets, ignorechars, canonical, wrapcol)
# and Lib/base64.py's b32 functions built on it.
import binascii
def err(f):
    try: return repr(f())
    except Exception as e: return "%s: %s" % (type(e).__name__, e)
for d in [b"", b"f", b"fo", b"foo", b"foob", b"fooba", b"foobar", bytes(range(23))]:
    for o in [{}, {"padded": False}, {"wrapcol": 8}, {"wrapcol": 3}, {"wrapcol": 10}, {"alphabet": binascii.BASE32HEX_ALPHABET}]:
        print(d[:6], o, err(lambda: binascii.b2a_base32(d, **o)))
datas = [b"", b"MY======", b"MY", b"MY=", b"MZXQ====", b"MZXW6===", b"MZXW6YQ=", b"MZXW6YTB", b"MZXW6YTBOI======", b"M", b"MYZ", b"MZX", b"MZXW6Y", b"my======", b"MY==\n====", b"MY======MY======", b"=MY=====", b"MY=======", b"MY=====", b"MZ======", b"M1======", b"MY!=====", b"MZXW6YT=", "MY======", b"MY== ====", b"MZXW6YTBO", b"CO======", b"MY=A====", b"========", b"MFRGG==="]
for o in [{}, {"padded": False}, {"ignorechars": b" \n"}, {"canonical": True}, {"alphabet": binascii.BASE32HEX_ALPHABET}]:
    print(o)
    for d in datas:
        print("  ", d, err(lambda: binascii.a2b_base32(d, **o)))
print(err(lambda: binascii.b2a_base32(b"x", alphabet=b"abc")), err(lambda: binascii.a2b_base32(b"x", alphabet=b"abc")), err(lambda: binascii.b2a_base32("x")))
import base64
print(base64.b32encode(b"hello"), base64.b32decode(b"NBSWY3DP"), base64.b32decode(b"nbswy3dp", casefold=True), base64.b32decode(b"ME======", map01=b"L"))
print(base64.b32hexencode(b"hello"), base64.b32hexdecode(b"D1IMOR3F"), base64.b32encode(b"x" * 12, wrapcol=8), base64.b32encode(b"ab", padded=False))
print(err(lambda: base64.b32decode(b"NBSWY3D!")), base64.b32decode(b"NBSW Y3DP", ignorechars=b" "))
print("binascii_base32_315: ok")
