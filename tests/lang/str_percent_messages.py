# requires: 3.15
# printf-style formatting errors with CPython 3.15's messages, which name the argument.
# Expected messages are CPython 3.15's. Self-checking: `cpython-ref python3.15` and Pyrite.

def expect_error(exc_type, message, fmt, args):
    try:
        fmt % args
    except exc_type as e:
        assert message is None or str(e) == message, (str(e), message)
    else:
        raise AssertionError(f"{exc_type.__name__} not raised for {fmt!r}")

expect_error(TypeError, 'format argument: %d requires a real number, not str', "%d", "x")
expect_error(TypeError, 'format argument 2: %d requires a real number, not str', "%d %d", (1, "x"))
expect_error(TypeError, "format argument 'a': %d requires a real number, not str", "%(a)d", {"a": "x"})
expect_error(TypeError, 'not enough arguments for format string (got 1)', "%s %s", (1,))
expect_error(TypeError, 'not all arguments converted during string formatting (required 1, got 2)', "%s", (1, 2))
expect_error(ValueError, 'unsupported format %z at position 2', "ab%zc", 1)
expect_error(TypeError, 'format requires a mapping, not int', "%(a)s", 1)
expect_error(TypeError, 'format requires a mapping, not tuple', "%(a)s", (1,))
expect_error(OverflowError, 'format argument: %c argument not in range(0x110000)', "%c", 0x110000)
expect_error(TypeError, 'format argument: %c requires an integer or a unicode character, not a string of length 2', "%c", "ab")
expect_error(TypeError, 'format argument: %c requires an integer or a unicode character, not float', "%c", 1.5)
expect_error(TypeError, 'not enough arguments for format string (got 0)', "%s", ())
expect_error(TypeError, 'format argument: %x requires an integer, not float', "%x", 1.5)
expect_error(TypeError, 'format argument: %f requires a real number, not str', "%f", "x")
expect_error(TypeError, 'format argument 1: * requires int, not str', "%*d", ("x", 1))
expect_error(ValueError, 'stray % at position 0', "%-", 1)
expect_error(ValueError, 'stray % or incomplete format key at position 0', "%(a", {})
expect_error(ValueError, 'format requires a parenthesised mapping key at position 6', "%(a)s %s", {"a": 1})
expect_error(TypeError, 'not all arguments converted during string formatting (required 0, got 1)', "x", 1)
expect_error(KeyError, "'a'", "%(a)s", {})

print("str_percent_messages: ok")
