# str.format: auto/manual numbering, keywords, .attr and [key] lookups, conversions,
# nested specs, escapes, and CPython's errors. Expected values are CPython's (3.11 and
# 3.15 agree). Self-checking: runs on CPython and on Pyrite.

class P:
    x = 3

    def __format__(self, spec):
        return "P<" + spec + ">"


def check(fmt, args, kwargs, expected_type, expected):
    try:
        got = fmt.format(*args, **kwargs)
    except Exception as e:
        got_type, got = type(e).__name__, str(e)
    else:
        got_type = None
    assert (got_type, got) == (expected_type, expected), (fmt, got_type, got)


check('{} {}', (1, 2), {}, None, '1 2')
check('{1}{0}', ('a', 'b'), {}, None, 'ba')
check('{x:>5}|{y!r}', (), {'x': 1, 'y': 'q'}, None, "    1|'q'")
check('{{}} {0[1]} {0[a]}', ({1: 'one', 'a': 'A'},), {}, None, '{} one A')
check('{0.x} {0}', (P(),), {}, None, '3 P<>')
check('{:{}}|', ('ab', 5), {}, None, 'ab   |')
check('{:>{w}.{p}f}', (3.14159,), {'w': 8, 'p': 2}, None, '    3.14')
check('{!a}', ('é',), {}, None, "'\\xe9'")
check('{0[0]}', ([7],), {}, None, '7')
check('{:x}', (255,), {}, None, 'ff')
check('{}', (), {}, 'IndexError', 'Replacement index 0 out of range for positional args tuple')
check('{0}{}', (1, 2), {}, 'ValueError', 'cannot switch from manual field specification to automatic field numbering')
check('{}{0}', (1, 2), {}, 'ValueError', 'cannot switch from automatic field numbering to manual field specification')
check('{a}', (), {}, 'KeyError', "'a'")
check('}', (), {}, 'ValueError', "Single '}' encountered in format string")
check('{', (), {}, 'ValueError', "Single '{' encountered in format string")
check('{0!z}', (1,), {}, 'ValueError', 'Unknown conversion specifier z')
check('{0!rx}', (1,), {}, 'ValueError', "expected ':' after conversion specifier")
check('{0.}', (1,), {}, 'ValueError', 'Empty attribute in format string')
check('{0[}', (1,), {}, 'ValueError', "expected '}' before end of string")
check('{0[0]x}', ([1],), {}, 'ValueError', "Only '.' or '[' may follow ']' in format field specifier")
check('{:{:{}}}', (1, 2, 3), {}, 'ValueError', 'Max string recursion exceeded')
check('a{0', (1,), {}, 'ValueError', "expected '}' before end of string")
check('{0:d}', ('s',), {}, 'ValueError', "Unknown format code 'd' for object of type 'str'")
check('{0[2]}', ([1],), {}, 'IndexError', 'list index out of range')
check('{0.nope}', (1,), {}, 'AttributeError', "'int' object has no attribute 'nope'")
check('{!r:>6}|', ('a',), {}, None, "   'a'|")

# str.format_map: named fields from a mapping (with __missing__), no positional fields.
class _Upper(dict):
    def __missing__(self, k):
        return k.upper()


assert "{a}-{b}".format_map(_Upper(a=1)) == "1-B" and "{x[0]:>3}".format_map({"x": [5]}) == "  5"
for _bad in ["{0}", "{}"]:
    try:
        _bad.format_map({})
        raise AssertionError(_bad)
    except ValueError as e:
        assert str(e) == "Format string contains positional fields", e
try:
    "{missing}".format_map({})
    raise AssertionError("no KeyError")
except KeyError as e:
    assert e.args == ("missing",)
print("str_format: ok")
