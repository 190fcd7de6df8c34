# requires: 3.15
# binascii: 3.15's lenient base64 (decoding goes on after padding) and messages.
import binascii
for s in [b"YW*I", b"YW I=junk", b"YQ==YQ==", b"YWI=", b"YWI=YWI=", b"YQ==", b"YQ=", b"YQ", b"YWI=a", b"YWI=ab", b"YWI=abc", b"YWI=abcd", b"YWI==", b"YQ===", b"Y=Q==", b"YQ==\n", b"YQ== junk!", b"YQ==!!", b"YWJj", b"YWJjZA", b"a=b=c=d="]:
    try:
        print(s, binascii.a2b_base64(s))
    except binascii.Error as e:
        print(s, "Error", e)
try:
    binascii.unhexlify(b"abc")
except binascii.Error as e:
    print(e)
for s in [b"YWI=x", b"=YWI", b"YW=I", b"YWI==", b"YQ==="]:
    try:
        print(s, binascii.a2b_base64(s, strict_mode=True))
    except binascii.Error as e:
        print(s, "strict:", e)
print("binascii_lenient: ok")
