# tokenize over _tokenize: generate_tokens/tokenize on plain code (no f-strings, where
# CPython 3.11's pure-Python tokenizer gives the same stream), untokenize round trips,
# detect_encoding, tokenize.open and TokenError.
import io
import os
import tempfile
import tokenize
from token import tok_name

SOURCE = '''\
# -*- coding: utf-8 -*-
"""Module docstring."""
import os, sys


@decorator(1, key="v")
class Point:
    x: int = 0

    def __init__(self, x, *args, y=2, **kw):
        self.x = x + \\
            y  # continued
        if x >= 0x1F and y != 1e-3:
            return None   # odd comment
      # dedented comment
        data = {'a': [1, 2.5, 3j], "b": (b'x', r'\\d')}
        total = sum(v ** 2 for v in range(10) if v % 3)
        return lambda a, b=3: a @ b


async def main():
    async with lock:
        await asyncio.sleep(0)
    match command:
        case [x, *rest]:
            pass
        case {"k": v}:
            pass
'''


def dump(src):
    for tok in tokenize.generate_tokens(io.StringIO(src).readline):
        print(" ", tok_name[tok.type], repr(tok.string), tok.start, tok.end)


print("generate_tokens:")
toks = list(tokenize.generate_tokens(io.StringIO(SOURCE).readline))
print(" count", len(toks))
for tok in toks[:40]:
    print(" ", tok_name[tok.type], tok_name[tok.exact_type], repr(tok.string), tok.start, tok.end, repr(tok.line))
names = [t.string for t in toks if t.type == tokenize.NAME]
print(" names", len(names), names[-12:])
ops = sorted({t.string for t in toks if t.type == tokenize.OP})
print(" ops", ops)

print("untokenize (full tokens) keeps the tokens:", [(t.type, t.string) for t in tokenize.generate_tokens(io.StringIO(tokenize.untokenize(toks)).readline)] == [(t.type, t.string) for t in toks])
pairs = [(t.type, t.string) for t in toks]
compat = tokenize.untokenize(pairs)
again = [(t.type, t.string) for t in tokenize.generate_tokens(io.StringIO(compat).readline)]
print("untokenize (2-tuples) round trips:", again == pairs)

print("tokenize (bytes):")
data = SOURCE.encode("utf-8")
btoks = list(tokenize.tokenize(io.BytesIO(data).readline))
print(" ", tok_name[btoks[0].type], btoks[0].string, btoks[0].start)
print(" same stream:", [tuple(t) for t in btoks[1:]] == [tuple(t) for t in toks])
out = tokenize.untokenize(btoks)
print(" untokenize gives bytes:", type(out).__name__, out.decode("utf-8").splitlines()[:3])

print("detect_encoding:")
for raw in [b"x = 1\n", b"# coding: latin-1\nx = 1\n", b"\xef\xbb\xbfx = 1\n", b"#!/bin/sh\n# vim: set fileencoding=ascii :\n"]:
    print(" ", tokenize.detect_encoding(io.BytesIO(raw).readline))
try:
    tokenize.detect_encoding(io.BytesIO(b"# coding: nope\n").readline)
except SyntaxError as e:
    print("  SyntaxError:", e)

print("latin-1 source through tokenize():")
src = "# coding: latin-1\nname = 'caf\xe9'\n".encode("latin-1")
for t in tokenize.tokenize(io.BytesIO(src).readline):
    print(" ", tok_name[t.type], repr(t.string), t.start, t.end)

print("tokenize.open:")
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "m.py")
    with open(path, "wb") as f:
        f.write("# coding: latin-1\ns = '\xe9t\xe9'\n".encode("latin-1"))
    with tokenize.open(path) as f:
        print(" ", f.encoding, repr(f.read()))

print("small sources:")
for s in ["x = 1\n", "if a:\n    b\n", "a = (1,\n     2)\n", "x = 'a' 'b'\n", "del x; y\n"]:
    print(repr(s))
    dump(s)

print("errors:")
for s in ["x = (1,\n", "x = '''abc\n"]:
    try:
        list(tokenize.generate_tokens(io.StringIO(s).readline))
    except tokenize.TokenError as e:
        print("  TokenError", "EOF in multi-line" in e.args[0])
try:
    list(tokenize.generate_tokens(io.StringIO("if x:\n    a\n  b\n").readline))
except IndentationError as e:
    print("  IndentationError", e.args[0], e.lineno)

print("tokenize_roundtrip: ok")
