# binascii: hex with separators, base64 (strict and lenient), CRCs.
import binascii


def err(f, *a, **k):
    try:
        f(*a, **k)
    except Exception as e:
        print("  ", type(e).__name__, e)
    else:
        print("   no error")


print(binascii.hexlify(b"\x00\xffabc"), binascii.b2a_hex(b""), binascii.hexlify(b"\x01\x02\x03\x04\x05", "-", 2),
      binascii.hexlify(b"\x01\x02\x03\x04\x05", b":", -2), binascii.hexlify(b"\x01\x02\x03", " "))
print(binascii.unhexlify(b"00ff6162"), binascii.a2b_hex("DEADbeef"), binascii.unhexlify(""))
try:
    binascii.unhexlify(b"abc")
except binascii.Error:
    print("   odd length: Error")
err(binascii.unhexlify, b"zz")
err(binascii.hexlify, b"ab", "--")
print(binascii.b2a_base64(b"hello world"), binascii.b2a_base64(b"ab", newline=False), binascii.b2a_base64(b""))
print(binascii.a2b_base64(b"aGVsbG8gd29ybGQ=\n"), binascii.a2b_base64("YWI="), binascii.a2b_base64(b"YW I="), binascii.a2b_base64(b"YQ==\n"))
err(binascii.a2b_base64, b"YWJjZ")
err(binascii.a2b_base64, b"YWJ")
err(binascii.a2b_base64, b"YW=I", strict_mode=True)
err(binascii.a2b_base64, b"=YWI", strict_mode=True)
err(binascii.a2b_base64, b"YWI=x", strict_mode=True)
err(binascii.a2b_base64, b"YW*I", strict_mode=True)
err(binascii.a2b_base64, "é")
print(binascii.crc32(b"hello"), binascii.crc32(b"world", binascii.crc32(b"hello ")), binascii.crc32(b"hello world"), binascii.crc32(b""))
print(binascii.crc_hqx(b"hello", 0), binascii.crc_hqx(b"123456789", 0xFFFF), binascii.crc_hqx(b"", 7))
print(issubclass(binascii.Error, ValueError), binascii.Error.__module__, binascii.Incomplete.__mro__[1].__name__)
print("binascii_base64: ok")
