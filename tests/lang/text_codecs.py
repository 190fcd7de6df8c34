"""The codecs beyond UTF-8/ASCII/Latin-1 (UTF-16/32/7, unicode-escape, raw-unicode-escape,
charmap), the codec and error-handler registries, UnicodeError objects, and marshal."""
import codecs
import marshal


def raises(exc, f, *args):
    try:
        f(*args)
    except exc as e:
        return e
    raise AssertionError(f"{f} did not raise {exc.__name__}")


# ---- encoding and decoding through str/bytes ----
s = "a\u20ac\U0001f600"
assert s.encode("utf-16") == b"\xff\xfea\x00\xac\x20\x3d\xd8\x00\xde"
assert s.encode("utf-16-be") == b"\x00a\x20\xac\xd8\x3d\xde\x00"
assert s.encode("UTF-16LE") == b"a\x00\xac\x20\x3d\xd8\x00\xde"
assert s.encode("utf-32") == b"\xff\xfe\x00\x00a\x00\x00\x00\xac\x20\x00\x00\x00\xf6\x01\x00"
assert s.encode("utf_32_be") == b"\x00\x00\x00a\x00\x00\x20\xac\x00\x01\xf6\x00"
for enc in ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "utf-7",
            "unicode-escape", "raw-unicode-escape"]:
    for text in [s, "", "plain", "\\ + - ~ \t\n\x7f\xe9", chr(0x10ffff)]:
        assert text.encode(enc).decode(enc) == text, (enc, text)
assert b"\xfe\xff\x00a".decode("utf-16") == "a"
assert "a+b~\xe9".encode("utf-7") == b"a+-b+AH4A6Q-"
assert b"a+AGE-b+-c".decode("utf-7") == "aab+c"
assert "\xe9\n\\\u20ac'".encode("unicode_escape") == b"\\xe9\\n\\\\\\u20ac'"
assert "\xe9\u20ac".encode("raw_unicode_escape") == b"\xe9\\u20ac"
assert b"\\N{EM DASH}\\x41\\101".decode("unicode-escape") == "\u2014AA"

# Errors and the standard handlers.
lone = "a" + chr(0xdc80) + "b"
e = raises(UnicodeEncodeError, lone.encode, "utf-16")
assert str(e) == "'utf-16' codec can't encode character '\\udc80' in position 1: surrogates not allowed", str(e)
assert (e.encoding, e.start, e.end, e.reason) == ("utf-16", 1, 2, "surrogates not allowed")
assert lone.encode("utf-16-le", "replace") == b"a\x00?\x00b\x00"
assert lone.encode("utf-16-le", "surrogatepass") == b"a\x00\x80\xdcb\x00"
assert b"a\x00\x80\xdcb\x00".decode("utf-16-le", "surrogatepass") == lone
assert lone.encode("utf-32-le", "backslashreplace") == "a\\udc80b".encode("utf-32-le")
assert "\xe9\u1234".encode("ascii", "xmlcharrefreplace") == b"&#233;&#4660;"
assert "\xe9".encode("ascii", "namereplace") == b"\\N{LATIN SMALL LETTER E WITH ACUTE}"
e = raises(UnicodeDecodeError, b"a\x00b".decode, "utf-16")
assert str(e) == "'utf-16-le' codec can't decode byte 0x62 in position 2: truncated data", str(e)
assert e.object == b"a\x00b" and (e.start, e.end) == (2, 3)
e = raises(UnicodeDecodeError, b"\x00\xd8a\x00".decode, "utf-16-le")
assert str(e) == "'utf-16-le' codec can't decode bytes in position 0-1: illegal UTF-16 surrogate", str(e)
assert b"\x00\xd8a\x00".decode("utf-16-le", "replace") == "\ufffda"
e = raises(UnicodeDecodeError, b"\x00\x00\x11\x00".decode, "utf-32")
assert str(e) == "'utf-32-le' codec can't decode bytes in position 0-3: code point not in range(0x110000)", str(e)
e = raises(UnicodeDecodeError, b"+AGEA-".decode, "utf-7")
assert str(e) == "'utf7' codec can't decode bytes in position 0-5: partial character in shift sequence", str(e)
e = raises(UnicodeDecodeError, b"\\u12".decode, "unicode_escape")
assert str(e) == "'unicodeescape' codec can't decode bytes in position 0-3: truncated \\uXXXX escape", str(e)
assert b"a\\x4z".decode("unicode_escape", "backslashreplace") == "a\\x5c\\x78\\x34z"
assert b"\xff\xfe".decode("utf-16-le", "surrogateescape") == "\ufeff"
assert b"\x80abc".decode("ascii", "surrogateescape") == chr(0xdc80) + "abc"
e = raises(LookupError, "x".encode, "no-such-codec")
assert str(e) == "unknown encoding: no-such-codec", str(e)
e = raises(LookupError, "\xe9".encode, "ascii", "no-such-handler")
assert str(e) == "unknown error handler name 'no-such-handler'", str(e)

# ---- the registries ----
info = codecs.lookup("UTF-16")
assert isinstance(info, codecs.CodecInfo) and isinstance(info, tuple) and len(info) == 4
assert info.name == "utf-16" and codecs.lookup("latin 1").name == "iso8859-1"
assert info.encode("ab") == (b"\xff\xfea\x00b\x00", 2)
assert info.decode(b"\xff\xfea\x00") == ("a", 4)
assert codecs.encode("ab", "utf-16-be") == b"\x00a\x00b"
assert codecs.decode(b"+AOk-", "utf-7") == "\xe9"
enc = codecs.getincrementalencoder("utf-16")()
assert enc.encode("a") == b"\xff\xfea\x00" and enc.encode("b") == b"b\x00"
dec = codecs.getincrementaldecoder("utf-16")()
assert dec.decode(b"\xff") == "" and dec.decode(b"\xfea") == "" and dec.decode(b"\x00b") == "a"
assert dec.decode(b"\x00", True) == "b"
dec = codecs.getincrementaldecoder("utf-8")()
assert dec.decode(b"\xe2\x82") == "" and dec.decode(b"\xac") == "\u20ac"
assert list(codecs.iterdecode([b"\xff\xfe", b"a\x00"], "utf-16")) == ["a"]
assert codecs.utf_16_ex_decode(b"\xfe\xff\x00a", "strict", 0, False) == ("a", 4, 1)
assert codecs.utf_32_decode(b"a\x00\x00\x00b\x00", "strict", False) == ("a", 4)
assert codecs.BOM_UTF16_LE == b"\xff\xfe"


def search(name):
    # CPython 3.15 passes "text-codecs-test", older versions "text_codecs_test".
    if name.replace("-", "_") == "text_codecs_test":
        return codecs.CodecInfo(lambda s, errors="strict": (s.upper().encode(), len(s)),
                                lambda b, errors="strict": (bytes(b).decode().lower(), len(b)),
                                name="text-codecs-test")
    return None


codecs.register(search)
assert "abc".encode("Text-Codecs Test") == b"ABC"
assert b"XYZ".decode("text_codecs_test") == "xyz"
assert codecs.lookup("text_codecs_test").name == "text-codecs-test"
codecs.unregister(search)
raises(LookupError, codecs.lookup, "text_codecs_test")


def to_str_codec(name):
    if name.replace("-", "_") == "text_codecs_str":
        return codecs.CodecInfo(lambda s, errors="strict": (s, len(s)), lambda b, errors="strict": (b, len(b)))
    return None


codecs.register(to_str_codec)
e = raises(TypeError, "x".encode, "text_codecs_str")
assert str(e) == "'text_codecs_str' encoder returned 'str' instead of 'bytes'; use codecs.encode() to encode to arbitrary types", str(e)
assert codecs.encode("x", "text_codecs_str") == "x"
codecs.unregister(to_str_codec)


def mark(exc):
    return (f"<{exc.start}:{exc.end}>", exc.end)


codecs.register_error("text_codecs.mark", mark)
assert codecs.lookup_error("text_codecs.mark") is mark
assert "a\xe9\xe9b".encode("ascii", "text_codecs.mark") == b"a<1:3>b"
assert b"a\xff\xfeb".decode("utf-8", "text_codecs.mark") == "a<1:2><2:3>b"
assert "a\u20acb".encode("utf-16-be", "text_codecs.mark") == b"\x00a\x20\xac\x00b"
codecs.register_error("text_codecs.bad", lambda exc: 42)
e = raises(TypeError, "\xe9".encode, "ascii", "text_codecs.bad")
assert str(e) == "encoding error handler must return (str/bytes, int) tuple", str(e)
e = raises(TypeError, b"\xff".decode, "ascii", "text_codecs.bad")
assert str(e) == "decoding error handler must return (str, int) tuple", str(e)
codecs.register_error("text_codecs.far", lambda exc: ("", 100))
e = raises(IndexError, "\xe9".encode, "ascii", "text_codecs.far")
assert str(e) == "position 100 from error handler out of bounds", str(e)
codecs.register_error("text_codecs.back", lambda exc: ("?", -1))
assert "\xe9ab".encode("ascii", "text_codecs.back") == b"?b"
assert codecs.lookup_error("strict") is codecs.strict_errors
exc = UnicodeEncodeError("ascii", "a\xe9\u1234b", 1, 3, "bad")
assert codecs.replace_errors(exc) == ("??", 3)
assert codecs.backslashreplace_errors(exc) == ("\\xe9\\u1234", 3)
assert codecs.xmlcharrefreplace_errors(exc) == ("&#233;&#4660;", 3)
assert codecs.ignore_errors(exc) == ("", 3)
e = raises(TypeError, codecs.xmlcharrefreplace_errors, UnicodeDecodeError("ascii", b"\xff", 0, 1, "x"))
assert str(e) == "don't know how to handle UnicodeDecodeError in error callback", str(e)

# ---- UnicodeError objects ----
e = UnicodeEncodeError("ascii", "a\U0001f600", 1, 2, "nope")
assert str(e) == "'ascii' codec can't encode character '\\U0001f600' in position 1: nope", str(e)
assert e.args == ("ascii", "a\U0001f600", 1, 2, "nope")
e.start = 0
e.reason = "changed"
assert str(e) == "'ascii' codec can't encode characters in position 0-1: changed", str(e)
e = UnicodeDecodeError("utf-8", bytearray(b"\xff"), 0, 1, "bad")
assert type(e.object) is bytes and str(e) == "'utf-8' codec can't decode byte 0xff in position 0: bad"
e = UnicodeTranslateError("\xe9", 0, 1, "r")
assert str(e) == "can't translate character '\\xe9' in position 0: r" and e.encoding is None
assert str(raises(TypeError, UnicodeEncodeError, "a")) == "function takes exactly 5 arguments (1 given)"
assert str(raises(TypeError, UnicodeEncodeError, "a", 1, 1, 2, "r")) == "argument 2 must be str, not int"
assert str(UnicodeDecodeError.__new__(UnicodeDecodeError)) == ""

# ---- charmap ----
table = "".join(map(chr, range(128))) + "".join(chr(0x400 + i) for i in range(128))
emap = codecs.charmap_build(table)
assert type(emap).__name__ == "EncodingMap"
assert codecs.charmap_encode("a\u0400\u0401", "strict", emap) == (b"a\x80\x81", 3)
assert codecs.charmap_decode(b"a\x80", "strict", table) == ("a\u0400", 2)
assert codecs.charmap_decode(b"ab", "strict", None) == ("ab", 2)
assert codecs.charmap_decode(b"abc", "replace", {97: "A", 98: 0x263a}) == ("A\u263a\ufffd", 3)
e = raises(UnicodeEncodeError, codecs.charmap_encode, "\u20ac", "strict", emap)
assert str(e) == "'charmap' codec can't encode character '\\u20ac' in position 0: character maps to <undefined>", str(e)
assert codecs.charmap_build("ab") == {97: 0, 98: 1}

# ---- marshal (version 2: no references, so the bytes do not depend on reference counts) ----
value = (None, True, False, 1000000, -2**31 - 1, 2**100, 1.5, 1 + 2j, "ab\u20ac", b"xy", [1, [2]],
         {"k": (3,)}, frozenset({"b", "a", "c"}), set(), Ellipsis, StopIteration)
data = marshal.dumps(value, 2)
assert data.hex() == (
    "2810000000" "4e" "54" "46" "6940420f00" "6cfdffffff010000000200" "6c070000000000000000000000000000000004"
    "67000000000000f83f" "79000000000000f03f0000000000000040" "7505000000" "6162e282ac" "73020000007879"
    "5b02000000" "6901000000" "5b01000000" "6902000000" "7b" "75010000006b" "2801000000" "6903000000" "30"
    "3e03000000" "750100000061" "750100000062" "750100000063" "3c00000000" "2e" "53"), data.hex()
assert marshal.loads(data) == value
assert marshal.loads(marshal.dumps(value)) == value
assert marshal.dumps(1.5, 1) == b"f\x031.5"
assert marshal.loads(b"[\x02\x00\x00\x00\xfa\x01xr\x00\x00\x00\x00") == ["x", "x"]
assert str(raises(ValueError, marshal.dumps, object())) == "unmarshallable object"
assert str(raises(EOFError, marshal.loads, b"")) == "EOF read where object expected"
assert str(raises(EOFError, marshal.loads, b"i\x01")) == "marshal data too short"
assert str(raises(ValueError, marshal.loads, b"?")) == "bad marshal data (unknown type code)"
assert str(raises(ValueError, marshal.loads, b"l\x01\x00\x00\x00\x00\x00")) == "bad marshal data (unnormalized long data)"

print("text_codecs: ok")
