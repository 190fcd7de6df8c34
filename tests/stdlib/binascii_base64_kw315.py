# requires: 3.15
# binascii's 3.15 base64/hex keywords (strict_mode, padded, alphabet, ignorechars, canonical,
# wrapcol) and Lib/base64.py's functions built on them.
import binascii
def err(f):
    try: return repr(f())
    except Exception as e: return "%s: %s" % (type(e).__name__, e)
datas = [b"", b"QQ==", b"QQ", b"QQ=", b"QUI=", b"QUJD", b"QUJDRA", b"Q", b"QQ==QQ==", b"QQ==\n", b"=QQ==", b"Q=Q=", b"QQ===", b"QR==", b"QUJ=", b"QU J D", b"QU\nJD", b"QUJD!", b"QQ==x", b"QQ=x=", b"YWJj\nZGVm\n", b"a-_b", b"a+/b", b"QUJDRA=", b"QUJDRA==", b"QUJDRA===", "QUJD", b"====", b"Q===", b"QQ=\n="]
opts = [{}, {"strict_mode": True}, {"padded": False}, {"strict_mode": True, "padded": False}, {"ignorechars": b" \n"}, {"ignorechars": b""}, {"strict_mode": False, "ignorechars": b"\n"}, {"canonical": True}, {"alphabet": binascii.URLSAFE_BASE64_ALPHABET}, {"strict_mode": True, "alphabet": binascii.URLSAFE_BASE64_ALPHABET}]
for o in opts:
    print(o)
    for d in datas:
        print("  ", d, err(lambda: binascii.a2b_base64(d, **o)))
for d in [b"", b"a", b"ab", b"abc", b"abcd", bytes(range(40))]:
    for o in [{}, {"newline": False}, {"padded": False}, {"wrapcol": 4}, {"wrapcol": 7, "newline": False}, {"wrapcol": 1}, {"alphabet": binascii.URLSAFE_BASE64_ALPHABET}]:
        print(d[:5], o, err(lambda: binascii.b2a_base64(d, **o)))
print(err(lambda: binascii.b2a_base64(b"x", wrapcol=-1)), err(lambda: binascii.b2a_base64(b"x", alphabet=b"abc")), err(lambda: binascii.a2b_base64(b"x", alphabet=b"abc")))
print(err(lambda: binascii.b2a_base64(b"x", alphabet=b"A"*64)), err(lambda: binascii.a2b_base64(b"QUJD", alphabet=bytes(range(64)))))
for d in [b"", b"ab", b"a b\n", b"abc", b"zz", b"a:b", "AB cd"]:
    for o in [{}, {"ignorechars": b" \n"}, {"ignorechars": b":"}]:
        print(d, o, err(lambda: binascii.unhexlify(d, **o)), err(lambda: binascii.a2b_hex(d, **o)))
print(err(lambda: binascii.unhexlify(b"a b", ignorechars="  ")))
print(err(lambda: binascii.a2b_base64(b"QQ==", ignorechars="x")))
import base64
print(base64.b64encode(b"hello", altchars=b"-_"), base64.b64encode(b"\xfb\xff\xfe", padded=False), base64.b64encode(b"x" * 10, wrapcol=8))
print(base64.b64decode(b"aGk", padded=False), base64.b64decode("aGk=\n", ignorechars=b"\n"), base64.urlsafe_b64decode(b"-_8"))
print(err(lambda: base64.b64decode(b"aGk=!", validate=True)), err(lambda: base64.b64decode(b"aGl=", canonical=True)))
print(base64.b16decode(b"68 69", ignorechars=b" "), base64.b16encode(b"hi" * 5, wrapcol=4), base64.encodebytes(b"y" * 60), base64.decodebytes(b"eXl5\n"))
print("binascii_base64_kw315: ok")
