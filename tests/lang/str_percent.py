# printf-style formatting: str % args (conversions, flags, mapping keys, error types).
# Expected values are CPython's. Self-checking: runs on CPython and on Pyrite.
# The exact error messages (3.15's wording) are in str_percent_messages.py.

def expect_error(exc_type, message, fmt, args):
    try:
        fmt % args
    except exc_type as e:
        assert message is None or str(e) == message, (str(e), message)
    else:
        raise AssertionError(f"{exc_type.__name__} not raised for {fmt!r}")

assert "%s %d %5.2f %r %x %%" % ("a", 42, 3.14159, "q", 255) == "a 42  3.14 'q' ff %"
assert "%(k)s-%(n)05d" % {"k": "key", "n": 7} == 'key-00007'
assert "%-6s|%6s|" % ("ab", "cd") == 'ab    |    cd|'
assert "%c%c" % (65, "z") == 'Az'
assert "%o %X %#x %#o %e %g %G" % (8, 255, 255, 8, 12345.678, 0.00001234, 1e20) == '10 FF 0xff 0o10 1.234568e+04 1.234e-05 1E+20'
assert "%+d % d %i" % (5, 5, -3) == '+5  5 -3'
assert "%.3s" % "abcdef" == 'abc'
assert "%*d|%-*d|" % (5, 1, 4, 2) == '    1|2   |'
assert "%*d|" % (-5, 3) == '3    |'
assert "%s" % (1,) == '1'
assert "%s" % [1, 2] == '[1, 2]'
assert "%a" % "\u00e9" == "'\\xe9'"
assert "%d" % 3.9 == '3'
assert "%5.1f%%" % 99.44 == ' 99.4%'
assert "%x" % -255 == '-ff'
assert "%.0f" % 2.5 == '2'
assert "%r" % None == 'None'
assert "no conversions" % {} == 'no conversions'
assert "x" % [] == 'x'
assert "%#.4x" % 10 == '0x000a'
assert "%#8.4X" % -10 == ' -0X000A'
assert "%#.3o" % 8 == '0o010'
assert "%08.3f" % -1.5 == '-001.500'
assert "%010.2e" % 12345.6 == '001.23e+04'
assert "%#010x" % 255 == '0x000000ff'
assert "%+#x" % 255 == '+0xff'
assert "% 05d" % 42 == ' 0042'
assert "%-+6d|" % 3 == '+3    |'
assert "%+.3x" % 10 == '+00a'
assert "%05c|%-3c|" % ("a", 66) == '    a|B  |'
assert "%d" % (2**70 + 0.0) == '1180591620717411303424'
assert "%x" % True == '1'
assert "%s %(a)s" % {"a": 1} == "{'a': 1} 1"

expect_error(TypeError, None, "%d", "x")
expect_error(TypeError, None, "%d %d", (1, "x"))
expect_error(TypeError, None, "%(a)d", {"a": "x"})
expect_error(TypeError, None, "%s %s", (1,))
expect_error(TypeError, None, "%s", (1, 2))
expect_error(ValueError, None, "ab%zc", 1)
expect_error(TypeError, None, "%(a)s", 1)
expect_error(TypeError, None, "%(a)s", (1,))
expect_error(OverflowError, None, "%c", 0x110000)
expect_error(TypeError, None, "%c", "ab")
expect_error(TypeError, None, "%c", 1.5)
expect_error(TypeError, None, "%s", ())
expect_error(TypeError, None, "%x", 1.5)
expect_error(TypeError, None, "%f", "x")
expect_error(TypeError, None, "%*d", ("x", 1))
expect_error(ValueError, None, "%-", 1)
expect_error(ValueError, None, "%(a", {})
expect_error(TypeError, None, "x", 1)
expect_error(KeyError, None, "%(a)s", {})

print("str_percent: ok")
