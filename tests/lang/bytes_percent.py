# bytes % args and bytearray % args (PEP 461), compared with CPython; error messages as 3.15
# words them (3.11's shorter forms are accepted too).


class B:
    def __bytes__(self):
        return b"BB"


assert b"%d-%s" % (1, b"x") == b"1-x"
assert b"%5s|%-4b|" % (b"ab", bytearray(b"c")) == b"   ab|c   |"
assert b"%r %a" % ("\xe9", b"x") == b"'\\xe9' b'x'"
assert b"%c%c" % (65, b"B") == b"AB" and b"%x %05.1f %%" % (255, 2.5) == b"ff 002.5 %"
assert b"%(k)s" % {b"k": b"v"} == b"v" and b"%s" % B() == b"BB" and b"%.1s" % b"xyz" == b"x"
r = bytearray(b"%d") % 5
assert r == bytearray(b"5") and type(r) is bytearray and b"%s" % (b"a",) == b"a"
for expr, exc, msgs in [
    (lambda: b"%s" % "str", TypeError, [
        "format argument: %b requires a bytes-like object, or an object that implements __bytes__, not str",
        "%b requires a bytes-like object, or an object that implements __bytes__, not 'str'"]),
    (lambda: b"%c" % 256, OverflowError, ["format argument: %c argument not in range(256)", "%c arg not in range(256)"]),
    (lambda: b"%d %d" % (1,), TypeError, ["not enough arguments for format string (got 1)", "not enough arguments for format string"]),
    (lambda: b"%d" % (1, 2), TypeError, [
        "not all arguments converted during bytes formatting (required 1, got 2)",
        "not all arguments converted during bytes formatting"]),
    (lambda: b"%c" % b"ab", TypeError, [
        "format argument: %c requires an integer in range(256) or a single byte, not a bytes object of length 2",
        "%c requires an integer in range(256) or a single byte"]),
]:
    try:
        expr()
        raise AssertionError(msgs[0])
    except exc as e:
        assert str(e) in msgs, e
print("bytes_percent: ok")
