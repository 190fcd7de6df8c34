# requires: 3.15
# Invalid escape sequences: a SyntaxWarning per literal token at compile time (CPython
# 3.12+), a SyntaxError at the escape when warnings are errors; raw literals are exempt.
import warnings


def warned(src):
    with warnings.catch_warnings(record=True) as ws:
        warnings.simplefilter("always")
        compile(src, "f.py", "exec")
    return [(w.category.__name__, w.filename, w.lineno, str(w.message)) for w in ws]


def tail(c):
    return f'Did you mean "\\\\{c}"? A raw string is also an option.'


FUTURE = "Such sequences will not work in the future. "
assert warned('x = "\\d"\n') == [("SyntaxWarning", "f.py", 1, f'"\\d" is an invalid escape sequence. {FUTURE}{tail("d")}')]
# One warning per literal: the first bad escape.
assert len(warned('x = b"\\d\\q"\n')) == 1
# Bytes: \N, \u, \U are invalid too; str accepts them.
assert warned('x = b"\\u0041"\n')[0][3].startswith('"\\u" is an invalid escape sequence.')
assert warned('x = "\\u0041\\N{DIGIT ONE}\\x41\\101\\n\\\\"\n') == []
# Octal escapes above 0o377.
assert warned('x = "\\400"\n') == [("SyntaxWarning", "f.py", 1, f'"\\400" is an invalid octal escape sequence. {FUTURE}{tail("400")}')]
assert warned('x = "\\377"\n') == []
# The line of the escape, also inside a triple-quoted string; f-string literal parts too.
assert warned('x = 1\ny = """a\nb\\w"""\n')[0][2] == 3
assert warned('a = 1\nx = f"{a}\\w{a!r}"\n')[0][3].startswith('"\\w" is an invalid')
# Raw literals and line continuations inside strings warn about nothing.
assert warned('x = r"\\d" + rb"\\d".decode() + "a\\\nb"\n') == []
# As an error: the SyntaxError points at the escape.
with warnings.catch_warnings():
    warnings.simplefilter("error")
    try:
        compile('x = 1\ny = "\\d"\n', "f.py", "exec")
    except SyntaxError as e:
        assert (e.msg, e.filename, e.lineno, e.offset, e.end_lineno, e.end_offset) == (
            f'"\\d" is an invalid escape sequence. {tail("d")}', "f.py", 2, 6, 2, 8), e
    else:
        raise AssertionError("no SyntaxError")
# `is` with a literal (the code generator's warning), once per comparison.
assert warned("x = 1\nx is 1") == [("SyntaxWarning", "f.py", 2, '"is" with \'int\' literal. Did you mean "=="?')]
assert warned("x is not ()") == [("SyntaxWarning", "f.py", 1, '"is not" with \'tuple\' literal. Did you mean "!="?')]
assert len(warned("x is (1, 2) is 'y'")) == 1
assert warned("x is None or x is ... or x is True or x is -1 or x is (a,) or x is [1]") == []
print("syntax_warning_escapes_315: ok")
