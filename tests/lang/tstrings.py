# requires: 3.15
# PEP 750 template strings.
from string.templatelib import Template, Interpolation

name = "World"
t = t"Hello {name}!"
assert type(t) is Template and type(t).__name__ == 'Template'
assert type(t).__module__ == 'string.templatelib'
assert t.strings == ("Hello ", "!")
assert len(t.interpolations) == 1
i = t.interpolations[0]
assert type(i) is Interpolation
assert (i.value, i.expression, i.conversion, i.format_spec) == ("World", "name", None, "")
assert t.values == ("World",)
assert list(t) == ["Hello ", i, "!"]

x = 42
t2 = t"a{x}b{ x !r:>{x}} {x=}"
assert t2.strings == ('a', 'b', ' x=', ''), t2.strings
assert [(j.expression, j.conversion, j.format_spec) for j in t2.interpolations] == [
    ('x', None, ''), (' x ', 'r', '>42'), ('x', 'r', '')]
assert repr(t2.interpolations[1]) == "Interpolation(42, ' x ', 'r', '>42')"
assert repr(t"") == "Template(strings=('',), interpolations=())"
assert repr(t"{1}{2}") == "Template(strings=('', '', ''), interpolations=(Interpolation(1, '1', None, ''), Interpolation(2, '2', None, '')))"
tt = t"{1}{2}"
assert list(tt) == list(tt.interpolations)
assert t"a" t"b" t"{x:d}".strings == ("ab", "")
assert t"{x!s}".interpolations[0].conversion == 's'
assert t"{x!a}".interpolations[0].conversion == 'a'

# Concatenation of templates.
t3 = t"x={x}" + t" y={name}."
assert t3.strings == ("x=", " y=", "."), t3.strings
assert t3.values == (42, "World")
try:
    t"a" + "b"
except TypeError:
    pass
else:
    raise AssertionError("Template + str")

# Constructing directly.
t4 = Template("a", "b", Interpolation(1, "one"), Interpolation(2, "two"), "c")
assert t4.strings == ("ab", "", "c")
assert t4.values == (1, 2)
iv = Interpolation(3, "three", "r", "x")
assert iv.conversion == "r" and iv.format_spec == "x"
match iv:
    case Interpolation(value, expr, conv, spec):
        assert (value, expr, conv, spec) == (3, "three", "r", "x")
try:
    iv.value = 4
except AttributeError:
    pass
else:
    raise AssertionError("read-only")

# Evaluation order and laziness: values are computed when the t-string is.
calls = []
def f(v):
    calls.append(v)
    return v
t5 = t"{f(1)}{f(2)}"
assert calls == [1, 2] and t5.values == (1, 2)

print("tstrings: ok")
