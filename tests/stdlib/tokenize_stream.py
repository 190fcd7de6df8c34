# requires: 3.15
# _tokenize.TokenizerIter, the C tokenizer's stream that Lib/tokenize.py wraps: exact tokens
# of tricky snippets (f-/t-strings, nesting, continuations, CRLF, tabs, unicode, errors),
# bytes readline with encoding=, and a hash of the stream over real stdlib files.
import _tokenize
import hashlib
import io
import os
import token


def toks(src, extra=True):
    it = _tokenize.TokenizerIter(io.StringIO(src).readline, extra_tokens=extra)
    return list(it)


def show(src, extra=True):
    print(repr(src))
    try:
        for ty, s, start, end, line in toks(src, extra):
            print("  ", token.tok_name[ty], repr(s), start, end, repr(line))
    except SyntaxError as e:
        print("   error:", type(e).__name__, e.args[0], (e.lineno, e.offset))


snippets = [
    "",
    "x",
    "x = 1  # no newline",
    "if x:\n  y",
    "def f():\n    pass\n  # odd indent\n\n",
    "@dec(1)\nasync def f[T: int, *Ts, **P](a, /, *, b=2) -> T:\n    await g()\n",
    "match p:\n    case [1, *rest] if rest:\n        pass\n    case {'k': v, **kw}:\n        pass\n",
    "type X[T] = list[T]\n",
    "x = 1 + \\\n    2\n",
    "x\r\ny\r\n",
    "if a:\n\tb\n",
    "éléphant = 'ü' + '€'\nπ = 3.14\n",
    'f"{x!r:>{w}} {{}} \\N{DAGGER} {y=}"\n',
    "f'{a[\"k\"]:{w}.{p}f}' rf'\\{x}' F'''a\n{b}\nc'''\n",
    'f"{f"{f"{1}"}"}" f"{x:=10}" f"{(x:=10)}" f"{ {1: 2}[1] }"\n',
    't"hi {name!s:>10} {{x}}" tr"\\n{y}"\n',
    "x = '''a\nb''' + \"c\" b'd' rb'e' u'f'\n",
    "0x_1f 0o17 0b1_0 1_000.5e-3j .5 1. 1e5 0777\n",
    "a **= b // c >>= d -> e := f != g <> h ...\n",
    "x = $ ? `\n",
    "(\n  1,\n  # comment\n)\n",
    "if x:\n    a\n  b\n",
    "if x:\n\ta\n        b\n",
    "x = 'abc\n",
    'x = """abc\n',
    "(\n",
    'f"abc\n',
    "a\\b\n",
    "0b12\n",
]
for s in snippets:
    show(s)

print("without extra tokens:")
for s in ["if x:  # c\n  y = (1,\n  2)\n", "0777\n", "1if x else 2\n", "1abc\n", "x)\n"]:
    show(s, extra=False)

print("bytes readline with encoding=:")
lines = iter(["x = 'é'\n".encode("latin-1"), b"y\n"])
it = _tokenize.TokenizerIter(lambda: next(lines), extra_tokens=True, encoding="latin-1")
for t in it:
    print("  ", t)
try:
    list(_tokenize.TokenizerIter(io.BytesIO(b"x\n").readline, extra_tokens=True))
except TypeError as e:
    print("  TypeError:", e)

print("stdlib files:")
lib = os.path.dirname(os.__file__)
for name in ["tokenize.py", "dataclasses.py", "typing.py", "asyncio/tasks.py", "enum.py", "inspect.py",
             "re/_parser.py", "argparse.py", "ast.py", "functools.py", "string/templatelib.py",
             "traceback.py", "_pydecimal.py", "textwrap.py", "logging/__init__.py", "unittest/case.py",
             "difflib.py", "pprint.py", "email/_header_value_parser.py", "_ast_unparse.py"]:
    with open(os.path.join(lib, name), encoding="utf-8") as f:
        stream = list(_tokenize.TokenizerIter(f.readline, extra_tokens=True))
    digest = hashlib.sha256(repr(stream).encode()).hexdigest()[:16]
    kinds = sorted({token.tok_name[t[0]] for t in stream})
    print(f"  {name}: {len(stream)} tokens {digest} {' '.join(kinds)}")

print("tokenize_stream: ok")
